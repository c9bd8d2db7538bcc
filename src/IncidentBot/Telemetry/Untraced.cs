namespace IncidentBot.Telemetry;

/// <summary>
/// Marks an outgoing request that must not become a trace span: its URL is a credential (Slack's <c>response_url</c>),
/// and the HttpClient instrumentation would record it as <c>url.full</c>.
/// </summary>
public static class Untraced
{
    public static readonly HttpRequestOptionsKey<bool> Key = new("IncidentBot.Untraced");

    public static void Mark(HttpRequestMessage request) => request.Options.Set(Key, true);

    public static bool IsMarked(HttpRequestMessage request) => request.Options.TryGetValue(Key, out var untraced) && untraced;
}
