using System.Net.Http.Json;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Json;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.WebApi;

/// <summary>
/// Delayed replies to a slash command or interaction through its <c>response_url</c> (slack-protocol.md §2.4):
/// usable 5 times within 30 minutes, no token needed, and none is sent: the URL is the credential.
/// </summary>
public interface IResponseUrlClient
{
    Task RespondAsync(string responseUrl, ResponseUrlMessage message, CancellationToken cancellationToken);
}

internal sealed class ResponseUrlClient(HttpClient http) : IResponseUrlClient
{
    public async Task RespondAsync(string responseUrl, ResponseUrlMessage message, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(responseUrl, message, SlackJson.Options, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new SlackApiException("response_url", string.IsNullOrWhiteSpace(body) ? $"http_{(int)response.StatusCode}" : body.Trim());
        }
    }
}

public sealed record ResponseUrlMessage
{
    public required string Text { get; init; }
    public IReadOnlyList<Block>? Blocks { get; init; }
    public string ResponseType { get; init; } = ResponseTypes.Ephemeral;
    public bool? ReplaceOriginal { get; init; }
    public bool? DeleteOriginal { get; init; }
    public string? ThreadTs { get; init; }
}
