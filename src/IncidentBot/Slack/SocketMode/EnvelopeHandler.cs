using System.Text.Json;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Json;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Turns one Socket Mode envelope into a call to the same <see cref="SlackDispatcher"/> the HTTP endpoints use, in a
/// DI scope of its own, and decides the acknowledgement. Mirrors the HTTP endpoints: what they answer 200 is acked
/// (with the immediate answer as the ack's payload), what they answer 500 is not, so that Slack delivers it again.
/// </summary>
internal sealed partial class EnvelopeHandler(IServiceScopeFactory scopes, EnvelopeGuard guard, ILogger<EnvelopeHandler> logger)
{
    /// <summary>The ack to send, or null when the envelope must stay unacknowledged (its handling failed).</summary>
    public async Task<SocketModeAck?> HandleAsync(SocketModeEnvelope envelope, CancellationToken cancellationToken)
    {
        if (!TryRead(envelope, out var work, out var key))
        {
            // Malformed or of a kind we do not handle: redelivering it cannot help, so it is acknowledged.
            return new SocketModeAck(envelope.EnvelopeId, null);
        }

        try
        {
            var (answer, handled) = await guard.RunOnceAsync(key, () => DispatchAsync(work, cancellationToken));
            if (!handled)
            {
                Log.Duplicate(logger, envelope.EnvelopeId, envelope.Type, envelope.RetryAttempt);
            }

            if (answer is not null && !envelope.AcceptsResponsePayload)
            {
                Log.AnswerDropped(logger, envelope.EnvelopeId, envelope.Type);
                answer = null;
            }

            return new SocketModeAck(envelope.EnvelopeId, answer);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception exception)
        {
            // Like the HTTP 500: not acknowledged, so Slack delivers it again (at least once beats silently lost).
            Log.Failed(logger, exception, envelope.EnvelopeId, envelope.Type, envelope.RetryAttempt);
            return null;
        }
    }

    private bool TryRead(SocketModeEnvelope envelope, out Func<SlackDispatcher, CancellationToken, Task<object?>> work, out string key)
    {
        // Events are keyed by event_id, their identity across redeliveries; other envelopes by envelope_id.
        key = "envelope:" + envelope.EnvelopeId;
        work = null!;
        try
        {
            switch (envelope.Type)
            {
                case SocketModeMessage.EventsApi:
                    var type = envelope.Payload.ValueKind == JsonValueKind.Object ? SlackEventConverter.StringOrNull(envelope.Payload, "type") : null;
                    if (type != "event_callback")
                    {
                        Log.Ignored(logger, envelope.EnvelopeId, envelope.Type, type ?? "no type");
                        return false;
                    }

                    var callback = envelope.Payload.Deserialize<EventCallback>(SlackJson.Options);
                    if (callback is null)
                    {
                        break;
                    }

                    key = "event:" + callback.EventId;
                    var delivery = new SlackDelivery(envelope.RetryAttempt, string.IsNullOrEmpty(envelope.RetryReason) ? null : envelope.RetryReason);
                    work = async (dispatcher, ct) =>
                    {
                        await dispatcher.DispatchEventAsync(callback, delivery, ct);
                        return null;
                    };
                    return true;

                case SocketModeMessage.SlashCommands:
                    var command = SlashCommand.FromJson(envelope.Payload);
                    if (command is null)
                    {
                        break;
                    }

                    work = async (dispatcher, ct) => await dispatcher.DispatchCommandAsync(command, ct);
                    return true;

                case SocketModeMessage.Interactive:
                    var payload = envelope.Payload.ValueKind == JsonValueKind.Object ? envelope.Payload.Deserialize<InteractionPayload>(SlackJson.Options) : null;
                    if (payload is null)
                    {
                        break;
                    }

                    work = async (dispatcher, ct) => await dispatcher.DispatchInteractionAsync(payload, ct);
                    return true;

                default:
                    Log.Ignored(logger, envelope.EnvelopeId, envelope.Type, "unknown envelope type");
                    return false;
            }
        }
        catch (JsonException exception)
        {
            Log.Malformed(logger, envelope.EnvelopeId, envelope.Type, exception.Message);
            return false;
        }

        Log.Malformed(logger, envelope.EnvelopeId, envelope.Type, "required fields missing");
        return false;
    }

    private async Task<JsonElement?> DispatchAsync(Func<SlackDispatcher, CancellationToken, Task<object?>> work, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var answer = await work(scope.ServiceProvider.GetRequiredService<SlackDispatcher>(), cancellationToken);
        return answer is null ? null : JsonSerializer.SerializeToElement(answer, answer.GetType(), SlackJson.Options);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1410, Level = LogLevel.Error, Message = "Handling envelope {EnvelopeId} ({EnvelopeType}, attempt {RetryAttempt}) failed; not acknowledged, so that Slack delivers it again")]
        public static partial void Failed(ILogger logger, Exception exception, string envelopeId, string envelopeType, int retryAttempt);

        [LoggerMessage(EventId = 1411, Level = LogLevel.Information, Message = "Envelope {EnvelopeId} ({EnvelopeType}, attempt {RetryAttempt}) was already handled here; acknowledged without handling it again")]
        public static partial void Duplicate(ILogger logger, string envelopeId, string envelopeType, int retryAttempt);

        [LoggerMessage(EventId = 1412, Level = LogLevel.Warning, Message = "Malformed envelope {EnvelopeId} ({EnvelopeType}): {Reason}; acknowledged, since a redelivery would be just as malformed")]
        public static partial void Malformed(ILogger logger, string envelopeId, string envelopeType, string reason);

        [LoggerMessage(EventId = 1413, Level = LogLevel.Information, Message = "Ignored envelope {EnvelopeId} ({EnvelopeType}): {Reason}; acknowledged")]
        public static partial void Ignored(ILogger logger, string envelopeId, string envelopeType, string reason);

        [LoggerMessage(EventId = 1414, Level = LogLevel.Warning, Message = "Envelope {EnvelopeId} ({EnvelopeType}) does not accept a response payload; the handler's immediate answer is dropped")]
        public static partial void AnswerDropped(ILogger logger, string envelopeId, string envelopeType);
    }
}
