namespace IncidentBot.SlackFake;

/// <summary>
/// A Slack error code raised by the fake, either to a test acting as a human (e.g. posting in
/// an archived channel) or, inside the Web API, turned into <c>{"ok":false,"error":...}</c>.
/// </summary>
public sealed class FakeSlackException : Exception
{
    public FakeSlackException(string error, IReadOnlyList<string>? messages = null)
        : base(messages is { Count: > 0 } ? $"{error}: {string.Join("; ", messages)}" : error)
    {
        Error = error;
        Messages = messages ?? [];
    }

    /// <summary>The Slack error code, e.g. <c>channel_not_found</c>.</summary>
    public string Error { get; }

    /// <summary>Human detail Slack puts in <c>response_metadata.messages</c> (without the "[ERROR] " prefix).</summary>
    public IReadOnlyList<string> Messages { get; }

    /// <summary>Extra reply fields some errors carry, e.g. conversations.invite's per-user <c>errors</c>.</summary>
    internal System.Text.Json.Nodes.JsonObject? ExtraFields { get; init; }
}
