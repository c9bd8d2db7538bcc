using System.Globalization;
using IncidentBot.Incidents.Card;
using IncidentBot.Incidents.Updates;
using IncidentBot.Slack.Blocks;

namespace IncidentBot.Incidents.Interactions;

/// <summary>The modals the card's buttons open; each carries its incident's id in private_metadata.</summary>
internal static class CardForms
{
    public static ModalView Update(Incident incident) => Form(incident, IncidentCardIds.UpdateForm, "Post update", "Post",
    [
        new InputBlock(new PlainText("What is the status?"), new PlainTextInput(IncidentCardIds.UpdateAction)
        {
            Multiline = true,
            MaxLengthLimit = StatusUpdates.MaxLength,
            Placeholder = new PlainText("What is known, what is being done, when the next update comes"),
        })
        {
            BlockId = IncidentCardIds.UpdateBlock,
            Hint = new PlainText("Posted in the incident channel and to stakeholders, and shown on the incident card."),
        },
    ]);

    public static ModalView Severity(Incident incident, IReadOnlyList<SeverityLevel> levels)
    {
        var options = levels.Select(level => new SelectOption(new PlainText(level.Name), level.Name)
        {
            Description = level.Description is { } description ? new PlainText(Fit(description, SelectOption.MaxDescriptionLength)) : null,
        }).ToList();
        return Form(incident, IncidentCardIds.SeverityForm, "Set severity", "Set",
        [
            new InputBlock(new PlainText("Severity"), new StaticSelect(IncidentCardIds.SeverityAction, options)
            {
                InitialOption = options.FirstOrDefault(o => o.Value == incident.Severity),
            }) { BlockId = IncidentCardIds.SeverityBlock },
        ]);
    }

    public static ModalView Lead(Incident incident) => Form(incident, IncidentCardIds.LeadForm, "Hand over lead", "Hand over",
    [
        new InputBlock(new PlainText("New Incident Leader"), new UsersSelect(IncidentCardIds.LeadAction) { InitialUser = incident.LeaderUserId })
        {
            BlockId = IncidentCardIds.LeadBlock,
        },
    ]);

    public static int? IncidentId(string? privateMetadata) =>
        int.TryParse(privateMetadata, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static ModalView Form(Incident incident, string callbackId, string title, string submit, IReadOnlyList<Block> blocks) =>
        new(new PlainText(title), [new ContextBlock([new Mrkdwn($"{incident.Reference}: {Slack.Payloads.SlackText.Escape(incident.Title)}")]), .. blocks])
        {
            CallbackId = callbackId,
            PrivateMetadata = incident.Id.ToString(CultureInfo.InvariantCulture),
            Submit = new PlainText(submit),
            Close = new PlainText("Cancel"),
        };

    private static string Fit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
