using System.Globalization;
using System.Text.Json;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Json;
using IncidentBot.Slack.Payloads;
using Microsoft.AspNetCore.WebUtilities;

namespace IncidentBot.Slack.Http;

/// <summary>
/// Slack's three request URLs. Each reads the verified raw body, parses it into typed payloads (400 when it
/// cannot), hands it to the <see cref="SlackDispatcher"/>, and answers within Slack's 3 seconds.
/// </summary>
public static partial class SlackEndpoints
{
    public const string CommandsPath = "/slack/commands";
    public const string EventsPath = "/slack/events";
    public const string InteractionsPath = "/slack/interactions";

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        var slack = app.MapGroup("/slack").AddEndpointFilter<SlackSignatureFilter>();
        slack.MapPost("/commands", HandleCommandAsync);
        slack.MapPost("/events", HandleEventAsync);
        slack.MapPost("/interactions", HandleInteractionAsync);
        return app;
    }

    private static async Task<IResult> HandleCommandAsync(HttpContext http, SlackDispatcher dispatcher, ILoggerFactory loggers)
    {
        var form = QueryHelpers.ParseQuery(Body(http).AsString());
        var command = SlashCommand.FromFields(name => form.TryGetValue(name, out var value) ? value.ToString() : null);
        if (command is null)
        {
            Log.Malformed(Logger(loggers), http.Request.Path, "a slash command needs command, user_id and channel_id");
            return Results.BadRequest();
        }

        var response = await dispatcher.DispatchCommandAsync(command, http.RequestAborted);
        return response is null ? Results.Ok() : Results.Json(response, SlackJson.Options);
    }

    private static async Task<IResult> HandleEventAsync(HttpContext http, SlackDispatcher dispatcher, ILoggerFactory loggers)
    {
        var logger = Logger(loggers);
        var body = Body(http);
        string? type;
        EventCallback? callback = null;
        string? challenge = null;
        try
        {
            using var document = JsonDocument.Parse(body.Bytes);
            type = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()
                : null;
            switch (type)
            {
                case "url_verification":
                    challenge = document.RootElement.TryGetProperty("challenge", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    break;
                case "event_callback":
                    callback = document.RootElement.Deserialize<EventCallback>(SlackJson.Options);
                    break;
            }
        }
        catch (JsonException exception)
        {
            Log.Malformed(logger, http.Request.Path, exception.Message);
            return Results.BadRequest();
        }

        switch (type)
        {
            case "url_verification" when !string.IsNullOrEmpty(challenge):
                return Results.Json(new { challenge });
            case "event_callback" when callback is not null:
                return await DispatchEventAsync(http, dispatcher, callback, logger);
            case "app_rate_limited":
                Log.AppRateLimited(logger);
                return Results.Ok();
            case "url_verification" or "event_callback" or null:
                Log.Malformed(logger, http.Request.Path, type is null ? "no type" : $"{type} without its fields");
                return Results.BadRequest();
            default:
                Log.UnknownEnvelope(logger, type);
                return Results.Ok();
        }
    }

    private static async Task<IResult> DispatchEventAsync(HttpContext http, SlackDispatcher dispatcher, EventCallback callback, ILogger logger)
    {
        var delivery = new SlackDelivery(
            int.TryParse(http.Request.Headers["X-Slack-Retry-Num"], NumberStyles.None, CultureInfo.InvariantCulture, out var retry) ? retry : 0,
            http.Request.Headers["X-Slack-Retry-Reason"].FirstOrDefault());
        try
        {
            await dispatcher.DispatchEventAsync(callback, delivery, http.RequestAborted);
            return Results.Ok();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            // Not acknowledged, so Slack delivers it again: at least once beats silently lost.
            Log.EventFailed(logger, exception, callback.Event.Type, callback.EventId);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }
    }

    private static async Task<IResult> HandleInteractionAsync(HttpContext http, SlackDispatcher dispatcher, ILoggerFactory loggers)
    {
        var logger = Logger(loggers);
        var form = QueryHelpers.ParseQuery(Body(http).AsString());
        InteractionPayload? payload = null;
        try
        {
            if (form.TryGetValue("payload", out var json) && !string.IsNullOrWhiteSpace(json))
            {
                payload = JsonSerializer.Deserialize<InteractionPayload>(json.ToString(), SlackJson.Options);
            }
        }
        catch (JsonException exception)
        {
            Log.Malformed(logger, http.Request.Path, exception.Message);
            return Results.BadRequest();
        }

        if (payload is null)
        {
            Log.Malformed(logger, http.Request.Path, "no payload field");
            return Results.BadRequest();
        }

        var response = await dispatcher.DispatchInteractionAsync(payload, http.RequestAborted);
        return response is null ? Results.Ok() : Results.Json(response, SlackJson.Options);
    }

    private static SlackRequestBody Body(HttpContext http) =>
        http.Features.Get<SlackRequestBody>() ?? throw new InvalidOperationException("Slack endpoints run behind SlackSignatureFilter.");

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(SlackEndpoints));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Malformed Slack request to {Path}: {Reason}")]
        public static partial void Malformed(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Slack rate-limited event deliveries to this app (app_rate_limited)")]
        public static partial void AppRateLimited(ILogger logger);

        [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Ignored Slack envelope of type {EnvelopeType}")]
        public static partial void UnknownEnvelope(ILogger logger, string envelopeType);

        [LoggerMessage(EventId = 1013, Level = LogLevel.Error, Message = "Handling event {EventType} ({EventId}) failed; answered 500 so that Slack retries")]
        public static partial void EventFailed(ILogger logger, Exception exception, string eventType, string eventId);
    }
}
