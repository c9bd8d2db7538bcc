using IncidentBot.SlackFake.Scenarios;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Tests.Slack.SocketMode;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IncidentBot.Tests.Replicas;

/// <summary>
/// What a replay of the seed incident left, in the database and in Slack, written so that two runs compare equal when
/// they recorded the same thing: message timestamps as the scenario's labels, instants and durations masked (a real
/// clock differs between runs), event ids as the position of their step. Where job timing alone decides an order (the
/// bot's posts in Slack), the list is sorted; the record's own order (entries, messages) is kept.
/// </summary>
public sealed record SeedRecord(
    string Incident,
    IReadOnlyList<string> Entries,
    IReadOnlyList<string> Messages,
    IReadOnlyList<string> Ledger,
    IReadOnlyList<string> EchoLedger,
    IReadOnlyList<string> Reactions,
    IReadOnlyList<string> People,
    IReadOnlyList<string> BotPosts,
    IReadOnlyList<string> CaptureMarks,
    IReadOnlyList<string> Drafts,
    IReadOnlyList<string> DraftPosts)
{
    /// <summary>Replays the whole seed incident, one step after the other, on the real clock.</summary>
    public static async Task<ScenarioRun> PlayAsync(ReplicaRig rig, Scenario seed)
    {
        var run = await new ScenarioPlayer(rig.Slack, _ => { }).PlayAsync(seed);
        Assert.All(run.Commands, c => Assert.Equal(200, c.StatusCode));
        Assert.All(run.Events, e => Assert.True(e.Delivery.Succeeded, $"{e.EventId}: {e.Delivery.Final.FailureReason}"));
        return run;
    }

    /// <summary>
    /// Until the replicas' work is done: the draft published, nothing left to fetch, echo or send, everyone named, no
    /// job queued or running, Slack's echoes of the bot's own posts delivered. Fails with what was last seen otherwise.
    /// </summary>
    public static async Task SettleAsync(ReplicaRig rig)
    {
        var seen = "";
        await Eventually.Until(
            async () =>
            {
                await rig.Slack.WhenIdleAsync();
                var (jobs, unsettled) = (await BusyJobsAsync(rig), await rig.QueryAsync(async db =>
                {
                    var authors = await db.TimelineEntries.Where(e => e.AuthorUserId != null).Select(e => e.AuthorUserId!).Distinct().ToListAsync();
                    return new[]
                    {
                        await db.PostMortems.AnyAsync(p => p.PublishedAt != null) ? 0 : 1,
                        await db.TimelineEntries.CountAsync(e => e.Pending || e.EchoPending),
                        await db.Outbox.CountAsync(o => o.SentAt == null),
                        authors.Count - await db.People.CountAsync(p => authors.Contains(p.UserId)),
                    };
                }));
                seen = $"{jobs} job(s) enqueued or running; unpublished, pending entries, unsent outbox rows, unnamed authors: {string.Join(", ", unsettled)}";
                return jobs == 0 && unsettled.All(n => n == 0);
            },
            "the replicas to settle after the seed incident",
            () => seen + "\n" + rig.Output,
            TimeSpan.FromSeconds(60));
    }

    public static async Task<SeedRecord> ReadAsync(ReplicaRig rig, Scenario seed, ScenarioRun run)
    {
        var labels = seed.Steps.OfType<Say>().ToDictionary(s => run.Ts(s.Label), s => s.Label);
        string Label(string? ts) => ts is null ? "-" : labels.GetValueOrDefault(ts, "?" + ts);
        var eventIds = run.Events.Select(e => e.EventId).ToList();
        var bot = rig.Slack.Options.BotUserId;

        return await rig.QueryAsync(async db =>
        {
            var incident = await db.Incidents.SingleAsync();
            var entries = await db.TimelineEntries.OrderBy(e => e.Section).ThenBy(e => e.OccurredAt).ThenBy(e => e.Id).ToListAsync();
            var messages = await db.Messages.OrderBy(m => m.PostedAt).ThenBy(m => m.Ts).ToListAsync();
            var ledger = await db.ProcessedEvents.ToListAsync();
            var reactions = await db.EntryReactions.ToListAsync();
            var drafts = await db.PostMortems.OrderBy(p => p.Version).ToListAsync();
            return new SeedRecord(
                $"{incident.Title} {incident.Status} {incident.LeaderUserId} {incident.Severity} closed after declared: {incident.ClosedAt > incident.DeclaredAt}",
                [.. entries.Select(e => $"{e.Section} {e.Kind} {e.AuthorUserId} {Label(e.SourceTs)} pending {e.Pending} echo pending {e.EchoPending}: {e.Text}")],
                [.. messages.Select(m => $"{Label(m.Ts)} in thread of {Label(m.ThreadTs)} by {m.UserId}: {m.Text}")],
                [.. eventIds.Select((id, i) => $"{i}: {string.Join(", ", ledger.Where(p => p.EventId == id).Select(p => p.Consumer).Order(StringComparer.Ordinal))}")],
                [.. ledger.Where(p => !eventIds.Contains(p.EventId)).Select(p => p.Consumer).Order(StringComparer.Ordinal)],
                [.. reactions.Select(r => $"{Label(r.MessageTs)} {r.Reaction} {r.UserId}").Order(StringComparer.Ordinal)],
                [.. (await db.People.Select(p => p.Name).ToListAsync()).Order(StringComparer.Ordinal)],
                [.. rig.Slack.Workspace.Messages(run.ChannelId).Where(m => m.User == bot)
                    .Select(m => $"in thread of {Label(m.ThreadTs)}: {MaskPermalinks(SeedIncidentOverSocketModeTests.Mask(m.Text))}").Order(StringComparer.Ordinal)],
                [.. rig.Slack.Workspace.Messages(run.ChannelId).Where(m => m.User != bot)
                    .SelectMany(m => m.Reactions.Where(r => r.Users.Contains(bot)).Select(r => $"{Label(m.Ts)} {r.Name}")).Order(StringComparer.Ordinal)],
                [.. drafts.Select(p => $"version {p.Version} published {p.PublishedAt is not null}:\n{SeedIncidentOverSocketModeTests.Mask(p.Markdown)}")],
                [.. rig.Slack.Workspace.Messages(rig.PostmortemChannel).Where(m => m.User == bot)
                    .Select(m => $"{m.Files.Count} file(s): {SeedIncidentOverSocketModeTests.Mask(m.Text)}").Order(StringComparer.Ordinal)]);
        });
    }

    /// <summary>A permalink names a message by its ts, which the real clock makes differ between runs.</summary>
    private static string MaskPermalinks(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"/archives/(\w+)/p\d+", "/archives/$1/p<ts>");

    /// <summary>Compares list by list, so that a failure names the part that differs.</summary>
    public void AssertSameAs(SeedRecord expected)
    {
        Assert.Equal(expected.Incident, Incident);
        Assert.Equal(expected.Entries, Entries);
        Assert.Equal(expected.Messages, Messages);
        Assert.Equal(expected.Ledger, Ledger);
        Assert.Equal(expected.EchoLedger, EchoLedger);
        Assert.Equal(expected.Reactions, Reactions);
        Assert.Equal(expected.People, People);
        Assert.Equal(expected.BotPosts, BotPosts);
        Assert.Equal(expected.CaptureMarks, CaptureMarks);
        Assert.Equal(expected.Drafts, Drafts);
        Assert.Equal(expected.DraftPosts, DraftPosts);
    }

    /// <summary>Hangfire's jobs that are waiting for a worker or running (scheduled ones, due later, are not work in hand).</summary>
    private static Task<long> BusyJobsAsync(ReplicaRig rig) => rig.QueryAsync(async db =>
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE statename IN ('Enqueued', 'Processing')", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    });
}
