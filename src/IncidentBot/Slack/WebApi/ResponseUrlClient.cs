using System.Net.Http.Json;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Json;
using IncidentBot.Slack.Payloads;
using IncidentBot.Telemetry;

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
        HttpResponseMessage response;
        try
        {
            // Not traced: the URL is the credential, and a span would record it as url.full.
            using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = JsonContent.Create(message, options: SlackJson.Options) };
            Untraced.Mark(request);
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new SlackUnavailableException("response_url", outcomeUnknown: true, exception.Message, exception);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var code = string.IsNullOrWhiteSpace(body) ? $"http_{(int)response.StatusCode}" : body.Trim();
            // Slack's passing trouble (5xx, 429) is not its final word on the URL, as "expired_url" is.
            if ((int)response.StatusCode >= 500 || response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                throw new SlackUnavailableException("response_url", outcomeUnknown: (int)response.StatusCode >= 500, code);
            }

            throw new SlackApiException("response_url", code);
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
