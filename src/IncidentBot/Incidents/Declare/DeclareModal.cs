using IncidentBot.Slack.Blocks;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Incidents.Declare;

/// <summary>
/// The declare modal: title, severity (the configured levels with what each means), description, Incident Leader
/// (the declarer by default) and whether the channel is private; and the reading of its submission.
/// </summary>
public static class DeclareModal
{
    public const string CallbackId = "declare_incident";
    public const string TitleBlock = "declare-title";
    public const string SeverityBlock = "declare-severity";
    public const string DescriptionBlock = "declare-description";
    public const string LeadBlock = "declare-lead";
    public const string VisibilityBlock = "declare-visibility";
    public const string ValueAction = "value";
    public const string Public = "public";
    public const string Private = "private";

    public static ModalView Build(ModalOrigin context, string declarerId, IReadOnlyList<SeverityLevel> severities, bool dedicatedChannel)
    {
        var fromMessage = context.MessageText is { } text ? SlackText.ToPlain(text, _ => null) : null;
        var severityOptions = severities.Select(s => new SelectOption(new PlainText(SlackText.Shorten(s.Name, 75)), s.Name)
        {
            Description = s.Description is { Length: > 0 } d ? new PlainText(SlackText.Shorten(d, 75)) : null,
        }).ToList();
        var visibility = new List<SelectOption>
        {
            new(new PlainText("Public channel"), Public) { Description = new PlainText("Anyone can find and join it; announced to stakeholders") },
            new(new PlainText("Private channel"), Private) { Description = new PlainText("Only its members see it; never announced elsewhere") },
        };
        var blocks = new List<Block>();
        if (fromMessage is not null)
        {
            blocks.Add(new ContextBlock([new PlainText(SlackText.Shorten($"From the message: {fromMessage}", 2000))]));
        }

        blocks.Add(new InputBlock(new PlainText("Title"), new PlainTextInput(ValueAction)
        {
            InitialValue = fromMessage is null ? null : SlackText.Shorten(FirstLine(fromMessage), IncidentDeclarations.MaxTitleLength),
            MaxLengthLimit = IncidentDeclarations.MaxTitleLength,
            Placeholder = new PlainText("e.g. Checkout API returning 500s"),
        })
        { BlockId = TitleBlock });
        blocks.Add(new InputBlock(new PlainText("Severity"), new StaticSelect(ValueAction, severityOptions)) { BlockId = SeverityBlock, Optional = true });
        blocks.Add(new InputBlock(new PlainText("Description"), new PlainTextInput(ValueAction) { Multiline = true, MaxLengthLimit = PlainTextInput.MaxLength, Placeholder = new PlainText("What is happening, as far as you know") })
        { BlockId = DescriptionBlock, Optional = true });
        blocks.Add(new InputBlock(new PlainText("Incident Leader"), new UsersSelect(ValueAction) { InitialUser = declarerId }) { BlockId = LeadBlock });
        if (dedicatedChannel)
        {
            blocks.Add(new InputBlock(new PlainText("Channel"), new StaticSelect(ValueAction, visibility) { InitialOption = visibility[0] }) { BlockId = VisibilityBlock });
        }

        return new ModalView(new PlainText("Declare incident"), blocks)
        {
            CallbackId = CallbackId,
            PrivateMetadata = context.ToString(),
            Submit = new PlainText("Declare"),
            Close = new PlainText("Cancel"),
        };
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? text;

}
