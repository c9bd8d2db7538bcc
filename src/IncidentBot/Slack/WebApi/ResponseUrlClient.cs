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

/// <summary>Posts only to a <c>response_url</c> the <see cref="ResponseUrlPolicy"/> allows; any other is refused, unasked, as a caller error.</summary>
internal sealed partial class ResponseUrlClient(HttpClient http, ResponseUrlPolicy policy, ILogger<ResponseUrlClient> logger) : IResponseUrlClient
{
    /// <summary>The error code of a refused <c>response_url</c>: like Slack's <c>expired_url</c>, final, never retried.</summary>
    public const string RefusedCode = "response_url_refused";

    public async Task RespondAsync(string responseUrl, ResponseUrlMessage message, CancellationToken cancellationToken)
    {
        if (!policy.Allows(responseUrl, out var uri))
        {
            // Only the scheme and host: the rest of a response_url is its credential.
            Log.Refused(logger, uri?.Scheme ?? "?", uri?.Host ?? "(not a URL)");
            throw new SlackApiException("response_url", RefusedCode);
        }

        HttpResponseMessage response;
        try
        {
            // Not traced: the URL is the credential, and a span would record it as url.full.
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent.Create(message, options: SlackJson.Options) };
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 1606, Level = LogLevel.Warning, Message = "Refused to post to a response_url on {Scheme}://{Host}: neither Slack's nor Slack:ApiBaseUrl's host; nothing was sent")]
        public static partial void Refused(ILogger logger, string scheme, string host);
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
