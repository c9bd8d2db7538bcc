using System.Diagnostics;
using System.Net;
using System.Text;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// The HTTP link to the bot: one attempt, judged with Slack's 3-second deadline. The bot may be
/// a real server (<see cref="FakeSlackOptions.BotBaseUrl"/>) or an in-memory TestServer handler, or several replicas
/// (<see cref="FakeSlackOptions.BotBaseUrls"/>) behind the load balancer this plays: each request to the next in turn.
/// </summary>
internal sealed class BotHttpEndpoint(FakeSlackOptions options) : IDisposable
{
    private readonly Lock _gate = new();
    private HttpClient _client = CreateClient(null);
    private int _turn;

    public Uri? BaseUrl => options.BotBaseUrl;

    /// <summary>Points the driver at the bot; a handler (e.g. TestServer.CreateHandler()) replaces the network.</summary>
    public void Connect(Uri baseUrl, HttpMessageHandler? handler) => Connect([baseUrl], handler);

    /// <summary>Points the driver at the bot's replicas (over the network), taken in turn.</summary>
    public void Connect(IReadOnlyList<Uri> replicas, HttpMessageHandler? handler = null)
    {
        options.BotBaseUrls = [.. replicas];
        lock (_gate)
        {
            _client.Dispose();
            _client = CreateClient(handler);
        }
    }

    /// <summary>One attempt, to <paramref name="baseUrl"/> (one of the replicas).</summary>
    public async Task<DeliveryAttempt> SendAsync(
        Uri baseUrl, string path, string body, string contentType, IReadOnlyDictionary<string, string> headers,
        int retryNum, string? retryReason, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, path))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.UserAgent.ParseAdd("Slackbot 1.0 (+https://api.slack.com/robots)");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        HttpClient client;
        lock (_gate)
        {
            client = _client;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.AckTimeout);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(request, deadline.Token);
            var responseBody = await response.Content.ReadAsStringAsync(deadline.Token);
            var status = (int)response.StatusCode;
            var noRetry = response.Headers.TryGetValues("X-Slack-No-Retry", out var values) && values.Contains("1");
            var failure = status switch
            {
                >= 200 and < 300 => null,
                >= 300 and < 400 => "too_many_redirects",
                _ => "http_error",
            };
            return new DeliveryAttempt(retryNum, retryReason, status, response.Content.Headers.ContentType?.ToString(), responseBody, stopwatch.Elapsed, failure, noRetry) { Replica = baseUrl };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryAttempt(retryNum, retryReason, null, null, "", stopwatch.Elapsed, "http_timeout", false) { Replica = baseUrl };
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            // Refused, reset, or cut off mid-answer (the bot killed while answering): to Slack, a delivery that failed.
            return new DeliveryAttempt(retryNum, retryReason, null, null, "", stopwatch.Elapsed, "connection_failed", false) { Replica = baseUrl };
        }
    }

    /// <summary>The replica in turn; never <paramref name="notTo"/> (the replica a retry repeats) while another is there.</summary>
    public Uri NextReplica(Uri? notTo)
    {
        var replicas = options.BotBaseUrls;
        if (replicas.Count == 0)
        {
            throw new InvalidOperationException("FakeSlackOptions.BotBaseUrl is not set: the fake does not know where the bot listens.");
        }

        lock (_gate)
        {
            var next = replicas[_turn++ % replicas.Count];
            return next == notTo && replicas.Count > 1 ? replicas[_turn++ % replicas.Count] : next;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _client.Dispose();
        }
    }

    /// <summary>Never through a proxy (the bot is local); Slack follows at most 2 redirects.</summary>
    private static HttpClient CreateClient(HttpMessageHandler? handler) =>
        new(handler ?? new SocketsHttpHandler { UseProxy = false, MaxAutomaticRedirections = 2, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
