using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Faults;
using IncidentBot.SlackFake.Json;
using IncidentBot.SlackFake.Recording;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// <c>/api/{method}</c>: Slack's envelope around every method. HTTP 200 with <c>ok</c> true or
/// false, except for the injected 429 and 5xx, and the 429 of Slack's rate limits when they are on (per method, and chat.postMessage's per channel); token checks; warnings; faults; recording.
/// </summary>
internal sealed partial class SlackApiEndpoint(
    FakeSlackOptions options,
    ApiMethodTable methods,
    FaultInjector faults,
    PostingRateLimiter postingRate,
    MethodRateLimiter methodRate,
    CallRecorder calls,
    ILogger<SlackApiEndpoint> logger)
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public async Task HandleAsync(HttpContext http, string methodName)
    {
        var arrived = options.Clock.GetUtcNow();
        var request = await ApiRequestReader.ReadAsync(http.Request, http.RequestAborted);
        var method = methods.Find(methodName);
        var token = TokenOf(method, request);
        var authorized = token is not null && token == (method is { TakesAppToken: true } ? options.AppToken : options.BotToken);

        if (method is null)
        {
            Log.UnknownMethod(logger, methodName);
            var unknown = ErrorBody("unknown_method", []);
            unknown["req_method"] = methodName;
            await RespondAsync(http, StatusCodes.Status200OK, unknown, Record(null));
            return;
        }

        var fault = faults.Take(methodName);
        if (fault is not null)
        {
            Log.FaultApplied(logger, methodName, fault.ToString());
        }

        switch (fault)
        {
            case RateLimitedFault rateLimited:
                http.Response.Headers.RetryAfter = rateLimited.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await RespondAsync(http, StatusCodes.Status429TooManyRequests, ErrorBody("ratelimited", []), Record(fault));
                return;
            case ServerErrorFault serverError:
                await RespondServerErrorAsync(http, serverError, Record(fault));
                return;
            case ErrorFault error:
                await RespondAsync(http, StatusCodes.Status200OK, ErrorBody(error.Code, []), Record(fault));
                return;
            case SlowFault slow:
                // Not cancelled when the caller gives up: like Slack, a request it received still takes effect,
                // which is what makes a timed-out write's outcome unknown.
                await Task.Delay(slow.Delay, CancellationToken.None);
                break;
        }

        if (authorized && (methodRate.Refuse(methodName) ?? postingRate.Refuse(methodName, request.Arguments)) is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await RespondAsync(http, StatusCodes.Status429TooManyRequests, ErrorBody("ratelimited", []), Record(null));
            return;
        }

        var body = Process(method, request, token, authorized);
        if (fault is LostResponseFault lost)
        {
            // The work is done; only the answer is lost, so the caller cannot tell it landed.
            if (lost.AbortConnection)
            {
                calls.Add(Record(fault)(0, body.ToJsonString()));
                http.Abort();
                return;
            }

            await RespondServerErrorAsync(http, new ServerErrorFault(StatusCodes.Status500InternalServerError, HtmlBody: false), Record(fault));
            return;
        }

        await RespondAsync(http, StatusCodes.Status200OK, body, Record(fault));

        Func<int, string, RecordedCall> Record(Fault? appliedFault) => (status, responseBody) =>
            CallRecord(http, methodName, request, authorized, appliedFault, status, responseBody, arrived);
    }

    private static RecordedCall CallRecord(
        HttpContext http, string methodName, ApiRequest request, bool authorized, Fault? fault, int status, string responseBody, DateTimeOffset arrived)
    {
        var reply = SlackJson.TryParse(responseBody);
        bool? ok = null;
        string? error = null;
        if (reply is { ValueKind: JsonValueKind.Object } envelope)
        {
            ok = envelope.TryGetProperty("ok", out var okValue) && okValue.ValueKind is JsonValueKind.True or JsonValueKind.False ? okValue.GetBoolean() : null;
            error = envelope.TryGetProperty("error", out var errorValue) && errorValue.ValueKind == JsonValueKind.String ? errorValue.GetString() : null;
        }

        return new RecordedCall(
            methodName,
            new Dictionary<string, string>(request.Arguments),
            http.Request.ContentType,
            http.Request.Method,
            authorized,
            status,
            ok,
            error,
            fault?.ToString(),
            responseBody,
            arrived);
    }

    /// <summary>
    /// The token Slack reads for this method: app-level methods take it from the Authorization header only (a token
    /// in the body is ignored); the others from the header or a form/query argument (§6.1).
    /// </summary>
    private static string? TokenOf(ApiMethod? method, ApiRequest request) =>
        method is { TakesAppToken: true } ? request.HeaderToken : request.Token;

    private JsonObject Process(ApiMethod method, ApiRequest request, string? token, bool authorized)
    {
        JsonObject body;
        if (request.BodyError is { } bodyError)
        {
            body = ErrorBody(bodyError, []);
        }
        else if (token is null)
        {
            body = ErrorBody("not_authed", []);
        }
        else if (!authorized)
        {
            // A real token of the other kind (a bot token for apps.connections.open, or the reverse) is named as such.
            var otherKind = method.TakesAppToken ? token == options.BotToken || token.StartsWith("xoxb-", StringComparison.Ordinal) : token.StartsWith("xapp-", StringComparison.Ordinal);
            body = ErrorBody(otherKind ? "not_allowed_token_type" : "invalid_auth", []);
        }
        else if (request.IsJson && !method.AcceptsJson)
        {
            // Slack ignores a JSON body for these methods, so the required arguments look missing.
            body = ErrorBody("invalid_arguments", []);
        }
        else
        {
            try
            {
                var result = method.Handle(new ApiArguments(request.Arguments));
                body = new JsonObject { ["ok"] = true };
                foreach (var (key, value) in result.Fields.ToList())
                {
                    result.Fields.Remove(key);
                    body[key] = value;
                }

                AddWarnings(body, [.. request.Warnings, .. result.Warnings]);
                return body;
            }
            catch (FakeSlackException error)
            {
                body = ErrorBody(error.Error, error.Messages);
                foreach (var (key, value) in error.ExtraFields ?? [])
                {
                    body[key] = value?.DeepClone();
                }
            }
        }

        AddWarnings(body, request.Warnings);
        return body;
    }

    private static JsonObject ErrorBody(string error, IReadOnlyList<string> messages)
    {
        var body = new JsonObject { ["ok"] = false, ["error"] = error };
        if (messages.Count > 0)
        {
            body["errors"] = new JsonArray([.. messages.Select(m => (JsonNode?)m)]);
            body["response_metadata"] = new JsonObject
            {
                ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode?)$"[ERROR] {m}")]),
            };
        }

        return body;
    }

    private static void AddWarnings(JsonObject body, IReadOnlyList<string> warnings)
    {
        if (warnings.Count == 0)
        {
            return;
        }

        body["warning"] = string.Join(',', warnings);
        if (body["response_metadata"] is not JsonObject metadata)
        {
            body["response_metadata"] = metadata = [];
        }

        metadata["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode?)w)]);
    }

    private async Task RespondAsync(HttpContext http, int status, JsonObject body, Func<int, string, RecordedCall> record)
    {
        var text = SlackJson.Serialize(body);
        calls.Add(record(status, text));
        http.Response.StatusCode = status;
        http.Response.ContentType = JsonContentType;
        await http.Response.WriteAsync(text, http.RequestAborted);
    }

    private async Task RespondServerErrorAsync(HttpContext http, ServerErrorFault fault, Func<int, string, RecordedCall> record)
    {
        var text = fault.HtmlBody
            ? "<html><head><title>Server Error</title></head><body><h1>Server Error</h1></body></html>"
            : SlackJson.Serialize(ErrorBody("internal_error", []));
        calls.Add(record(fault.StatusCode, text));
        http.Response.StatusCode = fault.StatusCode;
        http.Response.ContentType = fault.HtmlBody ? "text/html; charset=utf-8" : JsonContentType;
        await http.Response.WriteAsync(text, http.RequestAborted);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "The bot called {Method}, which the fake Slack does not implement")]
        public static partial void UnknownMethod(ILogger logger, string method);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Injecting {Fault} into {Method}")]
        public static partial void FaultApplied(ILogger logger, string method, string fault);
    }
}
