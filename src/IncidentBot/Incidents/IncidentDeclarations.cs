using System.Text.RegularExpressions;
using Hangfire;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents;

/// <summary>
/// Declares an incident: records it with its declaration on the timeline (and, declared from a message, that message
/// as its first entry) in one commit, then queues the opening of its channel. One place for <c>/incident start</c>,
/// the declare modal and the shortcuts.
/// </summary>
public sealed partial class IncidentDeclarations(
    IncidentBotDbContext db,
    TimelineWriter timeline,
    IBackgroundJobClient jobs,
    IOptions<IncidentsOptions> options,
    TimeProvider time)
{
    public const int MaxTitleLength = 150;

    /// <summary>The title as it will be kept: Slack's escapes undone, white space folded; null with why when it cannot be one.</summary>
    public static (string? Title, string? Problem) ReadTitle(string typed)
    {
        var title = Whitespace().Replace(SlackText.Unescape(typed), " ").Trim();
        return title.Length switch
        {
            0 => (null, "An incident needs a title, e.g. Checkout API returning 500s."),
            > MaxTitleLength => (null, $"That title is {title.Length} characters; keep it under {MaxTitleLength}."),
            _ => (title, null),
        };
    }

    public async Task<DeclareOutcome> DeclareAsync(Declaration declaration, CancellationToken cancellationToken)
    {
        var dedicated = options.Value.CreateChannel;
        if (!dedicated && declaration.ChannelId is null)
        {
            return DeclareOutcome.Refused(
                "This bot keeps an incident in the channel where it is declared (Incidents:CreateChannel is off): declare it with `/incident start <title>` in that channel.");
        }

        if (!dedicated && await db.Incidents.OpenInChannelAsync(declaration.ChannelId!, cancellationToken) is { } live)
        {
            return DeclareOutcome.AlreadyLive(live);
        }

        var incident = new Incident
        {
            Title = declaration.Title,
            Status = dedicated ? IncidentStatus.Opening : IncidentStatus.Live,
            HasDedicatedChannel = dedicated,
            ChannelId = dedicated ? null : declaration.ChannelId,
            ChannelName = dedicated ? null : declaration.ChannelName,
            // Declared from App Home or a global shortcut, there is no channel to answer in: the declarer's own id
            // stands for it (Slack opens the direct message with the app for a user id).
            OriginChannelId = declaration.ChannelId ?? declaration.UserId,
            DeclaredByUserId = declaration.UserId,
            LeaderUserId = declaration.LeaderUserId ?? declaration.UserId,
            Severity = declaration.Severity,
            // Told at the declaration, it is part of it: no separate "Description set" entry.
            Description = declaration.Description,
            DeclaredAt = time.GetUtcNow().UtcDateTime,
            ResponseUrl = declaration.ResponseUrl,
            IsPrivate = declaration.IsPrivate,
            OriginMessageTs = declaration.FromMessage?.Ts,
        };

        // The incident and its declaration are one commit: a crash between them must not leave one without the other.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Incidents.Add(incident);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException) when (!dedicated)
            {
                // Two starts raced in one channel; the unique index let one through.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                var winner = await db.Incidents.OpenInChannelAsync(declaration.ChannelId!, cancellationToken);
                return winner is null ? throw new InvalidOperationException("Could not record the incident.") : DeclareOutcome.AlreadyLive(winner);
            }

            // The announcement says it, so the declaration itself is not echoed.
            timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, declaration.UserId, $"Incident declared: {SlackText.Escape(declaration.Title)}", echo: false);
            if (declaration.Severity is { } severity)
            {
                timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, declaration.UserId, $"Severity set to {severity}", echo: false);
            }

            if (declaration.LeaderUserId is { } lead && lead != declaration.UserId)
            {
                timeline.Add(incident.Id, EntryKind.Lifecycle, TimelineSection.Timeline, declaration.UserId, $"Incident Leader: <@{lead}>", echo: false);
            }

            if (declaration.FromMessage is { } message)
            {
                timeline.AddMessage(incident.Id, TimelineSection.Timeline, message.ChannelId, message.Ts, message.PostedAt,
                    new CapturedMessage { ChannelId = message.ChannelId, Ts = message.Ts, UserId = message.UserId, Text = message.Text, PostedAt = message.PostedAt },
                    message.UserId);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await timeline.AfterSaveAsync(cancellationToken);
        jobs.Enqueue<OpenIncidentChannelJob>(job => job.RunAsync(incident.Id, CancellationToken.None));
        return DeclareOutcome.Declared(incident);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>What to declare. <see cref="ChannelId"/> is where it was declared (null from App Home or a global shortcut).</summary>
public sealed record Declaration(string Title, string UserId, string? ChannelId)
{
    public string? ChannelName { get; init; }
    public string? ResponseUrl { get; init; }
    public string? LeaderUserId { get; init; }
    public string? Severity { get; init; }

    /// <summary>Slack text (escaped).</summary>
    public string? Description { get; init; }

    public bool IsPrivate { get; init; }
    public DeclaredFrom? FromMessage { get; init; }
}

/// <summary>The message an incident is declared from: its first timeline entry, at its own time.</summary>
public sealed record DeclaredFrom(string ChannelId, string Ts, string? UserId, string Text, DateTime PostedAt);

public sealed record DeclareOutcome(Incident? Incident, Incident? Live, string? Problem)
{
    public static DeclareOutcome Declared(Incident incident) => new(incident, null, null);

    public static DeclareOutcome AlreadyLive(Incident live) => new(null, live, null);

    public static DeclareOutcome Refused(string why) => new(null, null, why);
}
