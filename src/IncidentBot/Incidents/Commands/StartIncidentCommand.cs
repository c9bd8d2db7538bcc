using System.Text.RegularExpressions;
using Hangfire;
using IncidentBot.Storage;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Commands;

/// <summary>
/// <c>/incident start &lt;title&gt;</c>: records the incident at once and answers; the channel is opened by a job,
/// after Slack's 3-second acknowledgement.
/// </summary>
internal sealed partial class StartIncidentCommand(
    IncidentBotDbContext db,
    TimelineWriter timeline,
    IBackgroundJobClient jobs,
    IOptions<IncidentsOptions> options,
    IOptions<TimelineOptions> timelineOptions,
    TimeProvider time) : ISlashCommandHandler
{
    public const string Name = "start";
    public const int MaxTitleLength = 150;

    public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        var title = Whitespace().Replace(SlackText.Unescape(command.Text), " ").Trim();
        if (title.Length == 0)
        {
            return IncidentReplies.Usage("start <title>", "An incident needs a title, e.g. `/incident start Checkout API returning 500s`.");
        }

        if (title.Length > MaxTitleLength)
        {
            return IncidentReplies.Usage("start <title>", $"That title is {title.Length} characters; keep it under {MaxTitleLength}.");
        }

        var live = await db.Incidents.OpenInChannelAsync(command.ChannelId, cancellationToken);
        if (live is not null)
        {
            return AlreadyLive(live);
        }

        var dedicated = options.Value.CreateChannel;
        var incident = new Incident
        {
            Title = title,
            Status = dedicated ? IncidentStatus.Opening : IncidentStatus.Live,
            HasDedicatedChannel = dedicated,
            ChannelId = dedicated ? null : command.ChannelId,
            ChannelName = dedicated ? null : command.ChannelName,
            OriginChannelId = command.ChannelId,
            DeclaredByUserId = command.UserId,
            LeaderUserId = command.UserId,
            DeclaredAt = time.GetUtcNow().UtcDateTime,
            ResponseUrl = command.ResponseUrl,
        };
        // The incident and its declaration are one commit: a crash between them must not leave one without the other.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Incidents.Add(incident);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Two starts raced in one channel; the unique index let one through.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                var winner = await db.Incidents.OpenInChannelAsync(command.ChannelId, cancellationToken);
                return winner is null ? throw new InvalidOperationException("Could not record the incident.") : AlreadyLive(winner);
            }

            // The announcement says it, so the declaration itself is not echoed.
            timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, command.UserId, $"Incident declared: {SlackText.Escape(title)}", echo: false);
            await timeline.SaveAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        jobs.Enqueue<OpenIncidentChannelJob>(job => job.RunAsync(incident.Id, CancellationToken.None));

        return dedicated
            ? SlashCommandResponse.Ephemeral($"Declared {IncidentReplies.Describe(incident)}. Opening its channel now; you will be invited.")
            : SlashCommandResponse.InChannel(IncidentAnnouncement.Text(incident, timelineOptions.Value));
    }

    private static SlashCommandResponse AlreadyLive(Incident live) => SlashCommandResponse.Ephemeral(
        $"{IncidentReplies.Describe(live)} is already live in this channel (Incident Leader <@{live.LeaderUserId}>). Close it with `/incident close` before starting another here; nothing was changed.");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
