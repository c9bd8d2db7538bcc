namespace IncidentBot.SlackFake.Recording;

/// <summary>One Web API call as the fake saw and answered it.</summary>
/// <param name="Method">e.g. "chat.postMessage".</param>
/// <param name="Arguments">Every argument as a string; complex ones (blocks, metadata, view) as their JSON text. The token is never kept.</param>
/// <param name="ContentType">The raw Content-Type header, null when absent.</param>
/// <param name="HttpMethod">GET or POST.</param>
/// <param name="Authorized">Whether the token was accepted.</param>
/// <param name="StatusCode">The HTTP status answered (0 when the connection was aborted).</param>
/// <param name="Ok">The <c>ok</c> field of the reply, null when the body was not a Slack envelope.</param>
/// <param name="Error">The <c>error</c> field of the reply.</param>
/// <param name="Fault">The injected fault that shaped this call, if any.</param>
/// <param name="ResponseBody">The body as sent; for a dropped connection, the reply that never left.</param>
/// <param name="Time">When the call arrived, by the fake's clock.</param>
public sealed record RecordedCall(
    string Method,
    IReadOnlyDictionary<string, string> Arguments,
    string? ContentType,
    string HttpMethod,
    bool Authorized,
    int StatusCode,
    bool? Ok,
    string? Error,
    string? Fault,
    string ResponseBody,
    DateTimeOffset Time)
{
    public string? Argument(string name) => Arguments.GetValueOrDefault(name);
}
