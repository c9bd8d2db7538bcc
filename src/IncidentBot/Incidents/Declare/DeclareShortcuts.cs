using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;

namespace IncidentBot.Incidents.Declare;

// The ways to open the declare modal besides /incident start: Slack's shortcuts. Each answers within 3 seconds by
// opening the modal first; what the person could not be shown in a modal goes to the response_url, if there is one.

/// <summary>The global shortcut "Declare incident" (⚡ menu, search): no channel; the incident gets its own.</summary>
internal sealed class DeclareIncidentShortcut(DeclareModalOpener modal) : IGlobalShortcutHandler
{
    public const string CallbackId = "declare_incident";

    public Task HandleAsync(GlobalShortcut shortcut, CancellationToken cancellationToken) =>
        modal.OpenAsync(shortcut.TriggerId, shortcut.User.Id, new ModalOrigin(null, null), cancellationToken);
}

/// <summary>The message shortcut "Declare incident from this message": the message becomes the first timeline entry.</summary>
internal sealed class DeclareFromMessageShortcut(DeclareModalOpener modal, IResponseUrlClient responses) : IMessageShortcutHandler
{
    public const string CallbackId = "declare_from_message";

    public async Task HandleAsync(MessageShortcut shortcut, CancellationToken cancellationToken)
    {
        var context = new ModalOrigin(shortcut.Channel.Id, shortcut.ResponseUrl)
        {
            MessageTs = shortcut.Message.Ts is { Length: > 0 } ts ? ts : shortcut.MessageTs,
            MessageUserId = shortcut.Message.User,
            MessageText = shortcut.Message.Text ?? "",
        };
        if (await modal.OpenAsync(shortcut.TriggerId, shortcut.User.Id, context, cancellationToken) is { } problem && shortcut.ResponseUrl is { } url)
        {
            await responses.RespondAsync(url, new ResponseUrlMessage { Text = problem }, cancellationToken);
        }
    }
}
