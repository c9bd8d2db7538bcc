using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.Handling;

// One small interface per kind of Slack request. Handlers never see HTTP or JSON, so the same
// handler serves the HTTP endpoints and Socket Mode.

/// <summary>
/// Handles one slash command, or one sub-command (the first word of its text). The text the handler
/// receives has the sub-command word removed. It must answer within Slack's 3 seconds: slow work is a job.
/// </summary>
public interface ISlashCommandHandler
{
    Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken);
}

/// <summary>
/// Handles one event type, or a base type (<see cref="MessageEventBase"/> receives every message).
/// Delivery is at least once: the same <see cref="SlackRequestContext.EventId"/> may arrive again.
/// </summary>
public interface IEventHandler<in TEvent>
    where TEvent : SlackEvent
{
    Task HandleAsync(TEvent slackEvent, CancellationToken cancellationToken);
}

/// <summary>Handles the block action whose <c>action_id</c> it was registered for.</summary>
public interface IBlockActionHandler
{
    Task HandleAsync(BlockAction action, BlockActions payload, CancellationToken cancellationToken);
}

/// <summary>Handles the global shortcut whose <c>callback_id</c> it was registered for (answer within 3 s: open a modal first).</summary>
public interface IGlobalShortcutHandler
{
    Task HandleAsync(GlobalShortcut shortcut, CancellationToken cancellationToken);
}

/// <summary>Handles the message shortcut whose <c>callback_id</c> it was registered for.</summary>
public interface IMessageShortcutHandler
{
    Task HandleAsync(MessageShortcut shortcut, CancellationToken cancellationToken);
}

/// <summary>Handles the submission of the modal whose <c>callback_id</c> it was registered for; null closes the view.</summary>
public interface IViewSubmissionHandler
{
    Task<ViewSubmissionResponse?> HandleAsync(ViewSubmission submission, CancellationToken cancellationToken);
}
