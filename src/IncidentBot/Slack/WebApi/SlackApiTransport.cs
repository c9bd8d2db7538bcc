using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IncidentBot.Slack.Json;
using IncidentBot.Telemetry;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace IncidentBot.Slack.WebApi;

/// <summary>
/// The typed HttpClient behind every Web API family: it encodes arguments the way each method accepts them,
/// adds the bot token, and turns Slack's answers into results or typed exceptions. Retries and timeouts are
/// not here: they are the resilience handler declared once on this client (<see cref="SlackResilience"/>).
/// </summary>
public sealed partial class SlackApiTransport(HttpClient http, IOptions<SlackOptions> options, SlackApiMetrics metrics, ILogger<SlackApiTransport> logger)
{
    private static readonly MediaTypeHeaderValue JsonUtf8 = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    public async Task<TResponse> CallAsync<TResponse>(SlackMethod method, object? arguments, CancellationToken cancellationToken)
        where TResponse : SlackResponse
    {
        // Counted once per call, as its caller sees it; each retry is counted by the resilience pipeline.
        try
        {
            var response = await SendAsync<TResponse>(method, arguments, cancellationToken);
            metrics.Called(method.Name, "ok");
            return response;
        }
        catch (SlackRateLimitedException)
        {
            metrics.Called(method.Name, SlackApiMetrics.RateLimited);
            throw;
        }
        catch (SlackUnavailableException)
        {
            metrics.Called(method.Name, "unavailable");
            throw;
        }
        catch (SlackApiException refused)
        {
            metrics.Called(method.Name, "error", refused.ErrorCode);
            throw;
        }
    }

    private async Task<TResponse> SendAsync<TResponse>(SlackMethod method, object? arguments, CancellationToken cancellationToken)
        where TResponse : SlackResponse
    {
        var body = new SentContent(Encode(method, arguments));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.ApiBaseUrl, method.Name)) { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(method));
        request.Options.Set(SlackResilience.MethodKey, method);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or HttpRequestException
                                          || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Across every attempt, not the last one's error alone.
            var outcomeUnknown = method.Kind == SlackCallKind.Write && body.MayHaveReachedSlack;
            Log.Unavailable(logger, method.Name, exception.GetType().Name, outcomeUnknown);
            throw new SlackUnavailableException(method.Name, outcomeUnknown, exception.Message, exception);
        }

        using (response)
        {
            return await ReadAsync<TResponse>(method, response, cancellationToken);
        }
    }

    /// <summary>Sends bytes to a URL Slack handed out (a file upload URL): no bot token goes with them.</summary>
    public async Task UploadAsync(Uri uploadUrl, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uploadUrl) { Content = new ReadOnlyMemoryContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Untraced.Mark(request); // the upload URL is a credential of its own
        request.Options.Set(SlackResilience.MethodKey, new SlackMethod("files.upload_url", SlackCallKind.Read, SlackBodyEncoding.Form));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new SlackUnavailableException("files.upload_url", outcomeUnknown: false, $"HTTP {(int)response.StatusCode}");
            }
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or HttpRequestException)
        {
            throw new SlackUnavailableException("files.upload_url", outcomeUnknown: false, exception.Message, exception);
        }
    }

    private async Task<TResponse> ReadAsync<TResponse>(SlackMethod method, HttpResponseMessage response, CancellationToken cancellationToken)
        where TResponse : SlackResponse
    {
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Log.RateLimited(logger, method.Name);
            throw new SlackRateLimitedException(method.Name, SlackResilience.RetryAfter(response));
        }

        if ((int)response.StatusCode >= 500)
        {
            var outcomeUnknown = method.Kind == SlackCallKind.Write;
            Log.Unavailable(logger, method.Name, $"HTTP {(int)response.StatusCode}", outcomeUnknown);
            throw new SlackUnavailableException(method.Name, outcomeUnknown, $"HTTP {(int)response.StatusCode}");
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new SlackApiException(method.Name, $"http_{(int)response.StatusCode}");
        }

        TResponse? body;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            body = await JsonSerializer.DeserializeAsync<TResponse>(stream, SlackJson.Options, cancellationToken);
        }
        catch (JsonException exception)
        {
            throw new SlackApiException(method.Name, "invalid_response", [exception.Message]);
        }

        if (body is null)
        {
            throw new SlackApiException(method.Name, "invalid_response");
        }

        if (!body.Ok)
        {
            var error = body.Error ?? "unknown_error";
            Log.Failed(logger, method.Name, error);
            throw error switch
            {
                _ when SlackResilience.IsRateLimitCode(error) => new SlackRateLimitedException(method.Name, null),
                _ when SlackResilience.IsServerFaultCode(error) =>
                    new SlackUnavailableException(method.Name, method.Kind == SlackCallKind.Write, error),
                _ => new SlackApiException(method.Name, error, body.ResponseMetadata?.Messages),
            };
        }

        if (body.Warning is not null)
        {
            Log.Warning(logger, method.Name, body.Warning);
        }

        return body;
    }

    /// <summary>The token the method takes; Slack refuses the other kind (<c>not_allowed_token_type</c>).</summary>
    private string TokenFor(SlackMethod method) => method.Token switch
    {
        SlackTokenKind.App => string.IsNullOrEmpty(options.Value.AppToken)
            ? throw new InvalidOperationException($"{method.Name} needs the app-level token, and Slack:AppToken is not set.")
            : options.Value.AppToken,
        _ => options.Value.BotToken,
    };

    private static HttpContent Encode(SlackMethod method, object? arguments)
    {
        if (method.Encoding == SlackBodyEncoding.Json)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(arguments ?? new { }, arguments?.GetType() ?? typeof(object), SlackJson.Options);
            var content = new ByteArrayContent(json);
            content.Headers.ContentType = JsonUtf8;
            return content;
        }

        return new FormUrlEncodedContent(FormFields(arguments));
    }

    /// <summary>Form fields from a request object: scalars as text, objects and arrays as JSON strings, as Slack expects.</summary>
    private static IEnumerable<KeyValuePair<string, string>> FormFields(object? arguments)
    {
        if (arguments is null)
        {
            yield break;
        }

        var element = JsonSerializer.SerializeToElement(arguments, arguments.GetType(), SlackJson.Options);
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => property.Value.GetRawText(),
            };
            if (value is not null)
            {
                yield return new(property.Name, value);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Slack {Method} answered {ErrorCode}")]
        public static partial void Failed(ILogger logger, string method, string errorCode);

        [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Slack {Method} still rate-limited after retries")]
        public static partial void RateLimited(ILogger logger, string method);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Slack {Method} unavailable after retries ({Reason}); outcome unknown: {OutcomeUnknown}")]
        public static partial void Unavailable(ILogger logger, string method, string reason, bool outcomeUnknown);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Slack {Method} warned: {Warning}")]
        public static partial void Warning(ILogger logger, string method, string warning);
    }
}
