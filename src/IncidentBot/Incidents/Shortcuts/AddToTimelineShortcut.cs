using System.Globalization;
using IncidentBot.Incidents.Declare;
using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using IncidentBot.Timeline;

namespace IncidentBot.Incidents.Shortcuts;

/// <summary>
/// The message shortcut "Add to incident timeline": a modal to choose the section (and, outside an incident's
/// channel, which live incident), submitted to <see cref="AddToTimelineSubmission"/>.
/// </summary>
internal sealed class AddToTimelineShortcut(IncidentBotDbContext db, IncidentVisibility visibility, ISlackApiClient slack) : IMessageShortcutHandler
{
    public const string CallbackId = "add_to_timeline";
    public const string IncidentBlock = "add-incident";
    public const string SectionBlock = "add-section";
    public const string ValueAction = "value";

    public async Task HandleAsync(MessageShortcut shortcut, CancellationToken cancellationToken)
    {
        var origin = new ModalOrigin(shortcut.Channel.Id, null)
        {
            MessageTs = shortcut.Message.Ts is { Length: > 0 } ts ? ts : shortcut.MessageTs,
            MessageUserId = shortcut.Message.User ?? shortcut.Message.BotId,
            MessageText = shortcut.Message.Text ?? "",
        };
        var here = await db.Incidents.LiveInChannelAsync(shortcut.Channel.Id, cancellationToken);
        var choices = here is null ? await visibility.LiveFor(shortcut.User.Id, cancellationToken) : [here];
        var view = Build(origin, here, choices);
        if (shortcut.TriggerId is { } trigger)
        {
            await slack.Views.OpenAsync(OpenViewRequest.For(trigger, view), cancellationToken);
        }
    }

    private static ModalView Build(ModalOrigin origin, Incident? here, List<Incident> choices)
    {
        var preview = SlackText.ToPlain(origin.MessageText ?? "", _ => null);
        var blocks = new List<Block> { new ContextBlock([new PlainText(SlackText.Shorten($"The message: {(preview.Length == 0 ? "(no text)" : preview)}", 2000))]) };
        if (choices.Count == 0)
        {
            blocks.Add(new SectionBlock(new PlainText("No incident is live that you can see, so there is no timeline to add this to. Declare one with the shortcut \"Declare incident from this message\".")));
            return new ModalView(new PlainText("Add to timeline"), blocks) { CallbackId = CallbackId, Close = new PlainText("OK") };
        }

        if (here is not null)
        {
            blocks.Add(new SectionBlock(new Mrkdwn($"Adds it to {here.Reference} *{SlackText.Escape(here.Title)}*, at the message's own time.")));
        }
        else
        {
            var options = choices.Take(100).Select(i => new SelectOption(new PlainText(SlackText.Shorten($"{i.Reference} {i.Title}", 75)), i.Id.ToString(CultureInfo.InvariantCulture))).ToList();
            blocks.Add(new InputBlock(new PlainText("Incident"), new StaticSelect(ValueAction, options) { InitialOption = options.Count == 1 ? options[0] : null }) { BlockId = IncidentBlock });
        }

        var sections = Enum.GetValues<TimelineSection>().Select(s => new SelectOption(new PlainText(SectionNames.Of(s)), s.ToString())).ToList();
        blocks.Add(new InputBlock(new PlainText("Section"), new StaticSelect(ValueAction, sections) { InitialOption = sections[0] }) { BlockId = SectionBlock });
        return new ModalView(new PlainText("Add to timeline"), blocks)
        {
            CallbackId = CallbackId,
            PrivateMetadata = origin.ToString(),
            Submit = new PlainText("Add"),
            Close = new PlainText("Cancel"),
        };
    }

}

/// <summary>Puts the message on the chosen incident's record, in the chosen section, at the message's own time (once per section).</summary>
internal sealed class AddToTimelineSubmission(IncidentBotDbContext db, IncidentVisibility visibility, TimelineWriter timeline, TimeProvider time) : IViewSubmissionHandler
{
    public async Task<ViewSubmissionResponse?> HandleAsync(ViewSubmission submission, CancellationToken cancellationToken)
    {
        var origin = ModalOrigin.Parse(submission.View.PrivateMetadata);
        var state = submission.View.State;
        if (origin is not { ChannelId: { } channel, MessageTs: { } ts })
        {
            return null;
        }

        var picked = state?.Get(AddToTimelineShortcut.IncidentBlock, AddToTimelineShortcut.ValueAction)?.SelectedOption?.Value;
        var incident = picked is null
            ? await db.Incidents.LiveInChannelAsync(channel, cancellationToken)
            : int.TryParse(picked, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? await db.Incidents.FindAsync([id], cancellationToken) : null;
        var errorBlock = picked is null ? AddToTimelineShortcut.SectionBlock : AddToTimelineShortcut.IncidentBlock;
        if (incident is not { Status: IncidentStatus.Live } || !await visibility.MaySeeAsync(incident, submission.User.Id, cancellationToken))
        {
            return ViewSubmissionResponse.WithError(errorBlock, "That incident is no longer live; nothing was added.");
        }

        if (!Enum.TryParse<TimelineSection>(state?.Get(AddToTimelineShortcut.SectionBlock, AddToTimelineShortcut.ValueAction)?.SelectedOption?.Value, out var section) || !Enum.IsDefined(section))
        {
            return ViewSubmissionResponse.WithError(AddToTimelineShortcut.SectionBlock, "Choose the section.");
        }

        if (db.TimelineEntries.Any(e => e.IncidentId == incident.Id && e.Section == section && e.SourceChannelId == channel && e.SourceTs == ts))
        {
            return ViewSubmissionResponse.WithError(AddToTimelineShortcut.SectionBlock, $"That message is already in {SectionNames.Of(section)} of {incident.Reference}; nothing was added.");
        }

        var postedAt = SlackTs.TryParse(ts, out var parsed) ? parsed.ToDateTimeOffset().UtcDateTime : time.GetUtcNow().UtcDateTime;
        timeline.AddMessage(incident.Id, section, channel, ts, postedAt,
            new CapturedMessage { ChannelId = channel, Ts = ts, UserId = origin.MessageUserId, Text = origin.MessageText ?? "", PostedAt = postedAt }, origin.MessageUserId);
        await timeline.SaveAsync(cancellationToken);
        return null;
    }
}
