using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.SocketMode;

/// <summary>
/// Socket Mode's translation to and from the inbound pipeline (<see cref="SlackInbound"/>), the same one the HTTP
/// endpoints use: an envelope becomes a delivery keyed by its <c>envelope_id</c> (Slack sends it again, on any
/// connection, until it is acked), and the pipeline's decision becomes an ack (with the immediate answer as its
/// payload, when the envelope accepts one) or no ack, so that Slack delivers it again.
/// </summary>
internal sealed partial class EnvelopeHandler(SlackInbound inbound, ILogger<EnvelopeHandler> logger)
{
    /// <summary>The ack to send, or null when the envelope must stay unacknowledged (its handling failed).</summary>
    public async Task<SocketModeAck?> HandleAsync(SocketModeEnvelope envelope, CancellationToken cancellationToken)
    {
        InboundKind? kind = envelope.Type switch
        {
            SocketModeMessage.EventsApi => InboundKind.Event,
            SocketModeMessage.SlashCommands => InboundKind.SlashCommand,
            SocketModeMessage.Interactive => InboundKind.Interaction,
            _ => null,
        };
        if (kind is null)
        {
            // Of a kind we do not handle: redelivering it cannot help, so it is acknowledged.
            Log.Ignored(logger, envelope.EnvelopeId, envelope.Type, "unknown envelope type");
            return new SocketModeAck(envelope.EnvelopeId, null);
        }

        var result = await inbound.HandleAsync(
            new InboundDelivery
            {
                Kind = kind.Value,
                Body = InboundBody.Json(envelope.Payload),
                Source = $"envelope {envelope.EnvelopeId} ({envelope.Type})",
                Attempt = new SlackDelivery(envelope.RetryAttempt, string.IsNullOrEmpty(envelope.RetryReason) ? null : envelope.RetryReason),
                RedeliveryKey = "envelope:" + envelope.EnvelopeId,
            },
            cancellationToken);

        switch (result.Outcome)
        {
            case InboundOutcome.Retry:
                return null;
            case InboundOutcome.Malformed:
                // A redelivery would be just as malformed: acknowledged, so that Slack stops sending it.
                return new SocketModeAck(envelope.EnvelopeId, null);
        }

        var answer = result.Answer;
        if (answer is not null && !envelope.AcceptsResponsePayload)
        {
            Log.AnswerDropped(logger, envelope.EnvelopeId, envelope.Type);
            answer = null;
        }

        return new SocketModeAck(envelope.EnvelopeId, answer);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1413, Level = LogLevel.Information, Message = "Ignored envelope {EnvelopeId} ({EnvelopeType}): {Reason}; acknowledged")]
        public static partial void Ignored(ILogger logger, string envelopeId, string envelopeType, string reason);

        [LoggerMessage(EventId = 1414, Level = LogLevel.Warning, Message = "Envelope {EnvelopeId} ({EnvelopeType}) does not accept a response payload; the handler's immediate answer is dropped")]
        public static partial void AnswerDropped(ILogger logger, string envelopeId, string envelopeType);
    }
}
