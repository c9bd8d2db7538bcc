using System.Text.Json;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Json;

namespace IncidentBot.Slack.Inbound;

/// <summary>
/// The one inbound pipeline, for HTTP and Socket Mode alike: parses a raw delivery, de-duplicates it when its
/// transport redelivers (<see cref="InboundDelivery.RedeliveryKey"/>), dispatches it through the
/// <see cref="SlackDispatcher"/> in a DI scope of its own, and decides between acknowledging (with the immediate
/// answer) and asking Slack to deliver it again. Transports only translate the <see cref="InboundResult"/>.
/// </summary>
internal sealed partial class SlackInbound(IServiceScopeFactory scopes, RedeliveryGuard guard, InboundMetrics metrics, DeadLetterCounter deadLetters, ILogger<SlackInbound> logger)
{
    /// <summary>
    /// Slack's attempt (<c>X-Slack-Retry-Num</c>, <c>retry_attempt</c>) from which a failing event is dead-lettered and
    /// acknowledged: the third of four, so that one more redelivery remains should the dead letter not be stored.
    /// </summary>
    public const int DeadLetterFromRetry = 2;

    public async Task<InboundResult> HandleAsync(InboundDelivery delivery, CancellationToken cancellationToken)
    {
        var parsed = InboundParser.Parse(delivery);
        switch (parsed)
        {
            case ParsedDelivery.Malformed malformed:
                Log.Malformed(logger, delivery.Kind, delivery.Source, malformed.Reason);
                return InboundResult.Malformed;
            case ParsedDelivery.Challenge challenge:
                return InboundResult.Verified(challenge.Value);
            case ParsedDelivery.RateLimited:
                Log.AppRateLimited(logger);
                return InboundResult.Acknowledged();
            case ParsedDelivery.Ignored ignored:
                Log.Ignored(logger, ignored.Type);
                return InboundResult.Acknowledged();
        }

        var what = Describe(parsed);
        metrics.Received(parsed);
        try
        {
            if (delivery.RedeliveryKey is not { } redeliveryKey)
            {
                return InboundResult.Acknowledged(await RunAsync(parsed, delivery, ledgerKey: null, what, cancellationToken));
            }

            // An event may come back under a new envelope, so its own id is what identifies it here; commands and
            // interactions have no id of their own, only their delivery's, which is also their key in the durable ledger.
            var (guardKey, ledgerKey) = parsed is ParsedDelivery.Event e ? ("event:" + e.Value.EventId, null) : (redeliveryKey, redeliveryKey);
            var (answer, handled) = await guard.RunOnceAsync(guardKey, () => RunAsync(parsed, delivery, ledgerKey, what, cancellationToken));
            if (!handled)
            {
                metrics.Duplicate(parsed);
                Log.Duplicate(logger, what, delivery.Source, delivery.Attempt.RetryNum);
            }

            return InboundResult.Acknowledged(answer);
        }
        catch (HandledElsewhereException)
        {
            return InboundResult.Retry;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The transport is going away (connection closing, request aborted): unacknowledged, Slack delivers it again.
            return InboundResult.Retry;
        }
        catch (Exception exception) when (parsed is ParsedDelivery.Event poison && delivery.Attempt.RetryNum >= DeadLetterFromRetry)
        {
            Log.Failed(logger, exception, what, delivery.Source, delivery.Attempt.RetryNum);
            return await DeadLetterAsync(poison, delivery, exception, what, cancellationToken);
        }
        catch (Exception exception)
        {
            // Not acknowledged, so Slack delivers it again: at least once beats silently lost.
            metrics.Failed(parsed);
            Log.Failed(logger, exception, what, delivery.Source, delivery.Attempt.RetryNum);
            return InboundResult.Retry;
        }
    }

    /// <summary>
    /// Handles a dead letter's event again (the sweep's replay): the same parse, de-duplication and dispatch as a
    /// delivery, never dead-lettered again. A failure propagates; the event's handlers keep their own ledger, so what
    /// succeeded before is not done twice.
    /// </summary>
    public async Task ReplayAsync(InboundDelivery delivery, CancellationToken cancellationToken)
    {
        if (InboundParser.Parse(delivery) is not ParsedDelivery.Event callback)
        {
            throw new InvalidOperationException($"A dead letter from {delivery.Source} is not an event callback.");
        }

        await guard.RunOnceAsync("event:" + callback.Value.EventId, () => RunAsync(callback, delivery, ledgerKey: null, Describe(callback), cancellationToken));
    }

    /// <summary>Kept for a replay and acknowledged, so that Slack stops retrying; when it cannot be kept, Slack delivers it again.</summary>
    private async Task<InboundResult> DeadLetterAsync(ParsedDelivery.Event poison, InboundDelivery delivery, Exception exception, string what, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            if (scope.ServiceProvider.GetService<IDeadLetterBox>() is not { } box)
            {
                return InboundResult.Retry;
            }

            var letter = new DeadLetterDelivery(
                DeadLetterDelivery.BodyOf(delivery.Body), poison.Value.Event.Type, poison.Value.EventId, delivery.Source, delivery.Attempt.RetryNum, DeadLetterDelivery.ErrorOf(exception));
            await box.StoreAsync(letter, cancellationToken);
            deadLetters.CountStored();
            Log.DeadLettered(logger, what, delivery.Source, delivery.Attempt.RetryNum);
            return InboundResult.Acknowledged();
        }
        catch (Exception storing)
        {
            Log.CouldNotDeadLetter(logger, storing, what, delivery.Source);
            return InboundResult.Retry;
        }
    }

    private async Task<JsonElement?> RunAsync(ParsedDelivery parsed, InboundDelivery delivery, string? ledgerKey, string what, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var ledger = ledgerKey is null ? null : services.GetRequiredService<ISlackDeliveryLedger>();
        // Held through the handling and its record: another replica given the same envelope waits, then finds the record.
        await using var held = ledger is null ? null : await ledger.HoldAsync(ledgerKey!, cancellationToken);
        if (ledger is not null && await ledger.FindAsync(ledgerKey!, cancellationToken) is { } record)
        {
            metrics.Duplicate(parsed);
            Log.Recorded(logger, what, delivery.Source, delivery.Attempt.RetryNum);
            return record.Answer;
        }

        ledger?.Stage(ledgerKey!);
        var dispatcher = services.GetRequiredService<SlackDispatcher>();
        object? answer = parsed switch
        {
            ParsedDelivery.Command command => await dispatcher.DispatchCommandAsync(command.Value, cancellationToken),
            ParsedDelivery.Interaction interaction => await dispatcher.DispatchInteractionAsync(interaction.Value, cancellationToken),
            ParsedDelivery.Event callback => await DispatchEventAsync(dispatcher, callback, delivery, cancellationToken),
            _ => throw new InvalidOperationException($"Nothing to dispatch in {parsed.GetType().Name}."),
        };
        var json = answer is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(answer, answer.GetType(), SlackJson.Options);
        if (ledger is not null && !await ledger.CompleteAsync(ledgerKey!, json, cancellationToken))
        {
            // Another replica handled the same delivery at the same time and won: its answer is the one to give, once it
            // is recorded; until then nothing is acknowledged, and Slack's next redelivery finds it.
            metrics.Duplicate(parsed);
            Log.HandledElsewhere(logger, what, delivery.Source, delivery.Attempt.RetryNum);
            return await ledger.FindAsync(ledgerKey!, cancellationToken) is { Answer: { } recorded } ? recorded : throw new HandledElsewhereException();
        }

        return json;
    }

    private static async Task<object?> DispatchEventAsync(SlackDispatcher dispatcher, ParsedDelivery.Event callback, InboundDelivery delivery, CancellationToken cancellationToken)
    {
        await dispatcher.DispatchEventAsync(callback.Value, delivery.Attempt, cancellationToken);
        return null;
    }

    private static string Describe(ParsedDelivery parsed) => parsed switch
    {
        ParsedDelivery.Command command => $"slash command {command.Value.Command}",
        ParsedDelivery.Interaction interaction => $"interaction {interaction.Value.Type}",
        ParsedDelivery.Event callback => $"event {callback.Value.Event.Type} ({callback.Value.EventId})",
        _ => parsed.GetType().Name,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "Slack rate-limited event deliveries to this app (app_rate_limited)")]
        public static partial void AppRateLimited(ILogger logger);

        [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Ignored Slack envelope of type {EnvelopeType}")]
        public static partial void Ignored(ILogger logger, string envelopeType);

        [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Malformed Slack {Kind} from {Source}: {Reason}")]
        public static partial void Malformed(ILogger logger, InboundKind kind, string source, string reason);

        [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "Handling {What} from {Source} (attempt {RetryNum}) failed; not acknowledged, so that Slack delivers it again")]
        public static partial void Failed(ILogger logger, Exception exception, string what, string source, int retryNum);

        [LoggerMessage(EventId = 1506, Level = LogLevel.Error, Message = "The {What} from {Source} kept failing (attempt {RetryNum}): dead-lettered and acknowledged, so that Slack stops retrying; the sweep replays it")]
        public static partial void DeadLettered(ILogger logger, string what, string source, int retryNum);

        [LoggerMessage(EventId = 1507, Level = LogLevel.Error, Message = "Could not dead-letter the {What} from {Source}; not acknowledged, so that Slack delivers it again")]
        public static partial void CouldNotDeadLetter(ILogger logger, Exception exception, string what, string source);

        [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "The {What} from {Source} (attempt {RetryNum}) was already handled here; acknowledged without handling it again")]
        public static partial void Duplicate(ILogger logger, string what, string source, int retryNum);

        [LoggerMessage(EventId = 1508, Level = LogLevel.Information, Message = "The {What} from {Source} (attempt {RetryNum}) was handled at the same time elsewhere (another replica), which recorded it first; this handling's effect was refused, and the answer given is the one recorded there")]
        public static partial void HandledElsewhere(ILogger logger, string what, string source, int retryNum);

        [LoggerMessage(EventId = 1503, Level = LogLevel.Information, Message = "The {What} from {Source} (attempt {RetryNum}) is in the delivery ledger; acknowledged with its recorded answer, not handled again")]
        public static partial void Recorded(ILogger logger, string what, string source, int retryNum);
    }
}

/// <summary>A delivery another replica handled at the same time and recorded first, whose answer is not recorded yet: not acknowledged.</summary>
internal sealed class HandledElsewhereException() : Exception("Another replica handled this delivery at the same time and has not recorded its answer yet.");
