using Hangfire;
using IncidentBot.Incidents;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.PostMortems;

/// <summary>
/// <c>/incident publish</c>: after a change to this channel's closed incident (review edits, story fields), posts the
/// next version of its draft (the job does; the previous version then says it is superseded). Whether anything
/// changed is decided here, from the names already known, so that "nothing changed" is answered at once and
/// nothing is posted.
/// </summary>
internal sealed class PublishIncidentCommand(
    IncidentBotDbContext db,
    DraftCompiler compiler,
    PostMortemTemplate template,
    IBackgroundJobClient jobs,
    IOptions<PostMortemsOptions> options) : ISlashCommandHandler
{
    public const string Name = "publish";

    public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        if (command.Text.Trim().Length > 0)
        {
            return Refused("`/incident publish` takes nothing after it.");
        }

        if (await db.Incidents.OpenInChannelAsync(command.ChannelId, cancellationToken) is { } open)
        {
            return Refused($"{Describe(open)} is live: its draft is published when it is closed (`/incident close`).");
        }

        if (await db.Incidents.LastClosedInChannelAsync(command.ChannelId, cancellationToken) is not { } incident)
        {
            return Refused("There is no closed incident in this channel. Run it in the channel of the incident whose draft you want to publish again.");
        }

        var latest = await db.PostMortems.LatestAsync(incident.Id, cancellationToken);
        if (latest is not { PublishedAt: not null })
        {
            return Refused($"The draft of {Describe(incident)}{(latest is null ? "" : $" (version {latest.Version})")} is still being published; it goes out on its own.");
        }

        var markdown = template.Render(await compiler.CompileAsync(incident.Id, cancellationToken, askSlack: false));
        if (markdown == latest.Markdown)
        {
            return Refused($"Nothing changed in {Describe(incident)} since version {latest.Version} of its draft, so nothing was posted.");
        }

        jobs.Enqueue<PublishPostMortemJob>(job => job.RunAsync(incident.Id, CancellationToken.None));
        return SlashCommandResponse.Ephemeral(
            $"Publishing version {latest.Version + 1} of the draft of {Describe(incident)} in {PublishDraftWhenIncidentCloses.Mention(options.Value.PostmortemChannel)}; " +
            $"version {latest.Version} will say it is superseded.");
    }

    private static SlashCommandResponse Refused(string why) => SlashCommandResponse.Ephemeral($"{why} `/incident publish` changed nothing.");

    private static string Describe(Incident incident) => $"{incident.Reference} *{SlackText.Escape(incident.Title)}*";
}
