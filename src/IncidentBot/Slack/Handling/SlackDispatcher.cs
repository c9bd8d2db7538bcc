using System.Diagnostics;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.Handling;

/// <summary>
/// The one place a parsed Slack request meets its handlers, for every transport: the inbound pipeline
/// (<see cref="Inbound.SlackInbound"/>) hands it each request that HTTP or Socket Mode received.
/// Scoped: it fills the scope's <see cref="SlackRequestContext"/> before any handler runs.
/// </summary>
public sealed partial class SlackDispatcher(
    IServiceProvider services,
    SlackHandlerRegistry registry,
    SlackRequestContext context,
    SlackBotIdentity identity,
    CommandMetrics metrics,
    TimeProvider time,
    ILogger<SlackDispatcher> logger)
{
    /// <summary>Handlers slower than this endanger Slack's 3-second acknowledgement.</summary>
    private static readonly TimeSpan SlowHandler = TimeSpan.FromSeconds(2);

    public async Task<SlashCommandResponse?> DispatchCommandAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        context.TeamId = command.TeamId;
        if (identity.IsForeign(command.TeamId, command.ApiAppId))
        {
            Log.ForeignRequest(logger, "slash_command", command.TeamId, command.ApiAppId);
            return SlashCommandResponse.Ephemeral(
                $"Sorry, {command.Command}: {ForeignWords}");
        }

        if (!registry.Commands.Contains(command.Command))
        {
            Log.UnknownCommand(logger, command.Command);
            return SlashCommandResponse.Ephemeral($"Sorry, this app does not handle {command.Command}.");
        }

        var (handler, routed, subCommand) = Route(command);
        if (handler is null)
        {
            return SlashCommandResponse.Ephemeral($"Sorry, {command.Command} has no handler for that.");
        }

        var started = time.GetTimestamp();
        try
        {
            var response = await handler.HandleAsync(routed, cancellationToken);
            metrics.Ran(command.Command, subCommand, ok: true);
            return response;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            metrics.Ran(command.Command, subCommand, ok: false);
            // The user sees a failure either way; a 200 with words beats Slack's generic "failed with the error…".
            Log.CommandFailed(logger, exception, command.Command);
            return SlashCommandResponse.Ephemeral($"Sorry, something went wrong running {command.Command}. The error has been logged.");
        }
        finally
        {
            WarnIfSlow(started, command.Command);
        }
    }

    public async Task DispatchEventAsync(EventCallback callback, SlackDelivery delivery, CancellationToken cancellationToken)
    {
        context.TeamId = callback.TeamId;
        context.EventId = callback.EventId;
        context.EventTime = callback.EventTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(callback.EventTime) : null;
        context.Delivery = delivery;
        context.IsFromThisBot = identity.IsOwn(callback.Event, callback.ApiAppId);

        var handlers = registry.For(callback.Event.GetType());
        if (handlers.Length == 0)
        {
            Log.EventIgnored(logger, callback.Event.Type, callback.EventId);
            return;
        }

        var started = time.GetTimestamp();
        foreach (var handler in handlers)
        {
            // Handlers run in order and a failure propagates: the transport then answers an error so that
            // Slack delivers the event again, rather than acknowledging something we did not record.
            await handler(services, callback.Event, cancellationToken);
        }

        WarnIfSlow(started, callback.Event.Type);
    }

    /// <summary>Returns the immediate answer for a view submission (null closes the view); other payloads answer nothing.</summary>
    public async Task<ViewSubmissionResponse?> DispatchInteractionAsync(InteractionPayload payload, CancellationToken cancellationToken)
    {
        context.TeamId = payload.Team?.Id;
        if (identity.IsForeign(payload.Team?.Id, payload.ApiAppId))
        {
            Log.ForeignRequest(logger, payload.Type, payload.Team?.Id, payload.ApiAppId);
            return Refused(payload);
        }

        switch (payload)
        {
            case BlockActions blockActions:
                foreach (var action in blockActions.Actions)
                {
                    var handler = services.GetKeyedService<IBlockActionHandler>(SlackHandlerRegistry.BlockActionKey(action.ActionId));
                    if (handler is null)
                    {
                        Log.InteractionIgnored(logger, payload.Type, action.ActionId);
                        continue;
                    }

                    await handler.HandleAsync(action, blockActions, cancellationToken);
                }

                return null;

            case ViewSubmission submission:
                var viewHandler = services.GetKeyedService<IViewSubmissionHandler>(SlackHandlerRegistry.ViewKey(submission.View.CallbackId));
                if (viewHandler is null)
                {
                    Log.InteractionIgnored(logger, payload.Type, submission.View.CallbackId);
                    return null;
                }

                return await viewHandler.HandleAsync(submission, cancellationToken);

            case GlobalShortcut global:
                if (services.GetKeyedService<IGlobalShortcutHandler>(SlackHandlerRegistry.ShortcutKey(global.CallbackId)) is { } globalHandler)
                {
                    await globalHandler.HandleAsync(global, cancellationToken);
                }
                else
                {
                    Log.InteractionIgnored(logger, payload.Type, global.CallbackId);
                }

                return null;

            case MessageShortcut message:
                if (services.GetKeyedService<IMessageShortcutHandler>(SlackHandlerRegistry.ShortcutKey(message.CallbackId)) is { } messageHandler)
                {
                    await messageHandler.HandleAsync(message, cancellationToken);
                }
                else
                {
                    Log.InteractionIgnored(logger, payload.Type, message.CallbackId);
                }

                return null;

            default:
                Log.InteractionIgnored(logger, payload.Type, "");
                return null;
        }
    }

    /// <summary>
    /// A submitted form says why under its first field and stays open; a click has no answer of its own to give
    /// (its refusal is the log line): both change nothing.
    /// </summary>
    private static ViewSubmissionResponse? Refused(InteractionPayload payload) =>
        payload is ViewSubmission { View.State.Values: { Count: > 0 } inputs }
            ? ViewSubmissionResponse.WithError(inputs.Keys.First(), ForeignWords)
            : null;

    private const string ForeignWords = "This was meant for another Slack workspace or app than the one I am installed in, so I did nothing.";

    /// <summary>A sub-command handler for the first word, else the command's own handler with the whole text.</summary>
    private (ISlashCommandHandler? Handler, SlashCommand Routed, string SubCommand) Route(SlashCommand command)
    {
        var text = command.Text.Trim();
        var space = text.IndexOfAny([' ', '\t', '\n']);
        var firstWord = space < 0 ? text : text[..space];
        if (firstWord.Length > 0)
        {
            var sub = services.GetKeyedService<ISlashCommandHandler>(SlackHandlerRegistry.CommandKey(command.Command, firstWord));
            if (sub is not null)
            {
                return (sub, command with { Text = space < 0 ? "" : text[(space + 1)..].Trim() }, firstWord.ToLowerInvariant());
            }
        }

        return (services.GetKeyedService<ISlashCommandHandler>(SlackHandlerRegistry.CommandKey(command.Command, null)), command with { Text = text }, CommandMetrics.NoSubCommand);
    }

    private void WarnIfSlow(long started, string what)
    {
        var elapsed = time.GetElapsedTime(started);
        if (elapsed > SlowHandler)
        {
            Log.SlowHandler(logger, what, elapsed.TotalMilliseconds);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Slash command {Command} is not registered")]
        public static partial void UnknownCommand(ILogger logger, string command);

        [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Slash command {Command} failed")]
        public static partial void CommandFailed(ILogger logger, Exception exception, string command);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "No handler for event {EventType} ({EventId}); ignored")]
        public static partial void EventIgnored(ILogger logger, string eventType, string eventId);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "No handler for interaction {InteractionType} {Key}; ignored")]
        public static partial void InteractionIgnored(ILogger logger, string interactionType, string key);

        [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Refused a {RequestKind} for team {TeamId}, app {ApiAppId}: not this installation's")]
        public static partial void ForeignRequest(ILogger logger, string requestKind, string? teamId, string? apiAppId);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Handling {What} took {ElapsedMs} ms, close to Slack's 3-second limit: move slow work to a job")]
        public static partial void SlowHandler(ILogger logger, string what, double elapsedMs);
    }
}
