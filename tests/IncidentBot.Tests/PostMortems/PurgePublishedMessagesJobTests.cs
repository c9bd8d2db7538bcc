using IncidentBot.Incidents;
using IncidentBot.PostMortems;
using IncidentBot.Storage;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.PostMortems;

/// <summary>
/// Retention: the conversation captured in an incident's channel goes <c>Storage:KeepMessagesDays</c> (30) after its
/// draft's latest version was published; the record (draft versions, timeline entries, their review history) stays.
/// </summary>
public sealed class PurgePublishedMessagesJobTests
{
    private static readonly DateTime Now = new(2017, 11, 20, 3, 0, 0, DateTimeKind.Utc);

    private const int Purged = 1;
    private const int Live = 2;
    private const int PublishedRecently = 3;
    private const int LatestVersionUnpublished = 4;

    [Fact]
    public async Task Messages_go_thirty_days_after_the_latest_publication_and_the_record_stays()
    {
        // Arrange: incident 1 was published twice, last 31 days ago; incident 2 was published long ago and reopened
        // (live again); incident 3 was published 29 days ago; incident 4's newest version is not out yet.
        var time = new FakeTimeProvider(new DateTimeOffset(Now));
        await using var bot = await BotHost.StartAsync(new BotHostOptions { Time = time });
        await using (var scope = bot.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
            AddIncident(db, Purged, IncidentStatus.Closed, (1, Now.AddDays(-40)), (2, Now.AddDays(-31)));
            AddIncident(db, Live, IncidentStatus.Live, (1, Now.AddDays(-40)));
            AddIncident(db, PublishedRecently, IncidentStatus.Closed, (1, Now.AddDays(-29)));
            AddIncident(db, LatestVersionUnpublished, IncidentStatus.Closed, (1, Now.AddDays(-40)), (2, null));
            await db.SaveChangesAsync();
        }

        // Act
        int purged;
        await using (var scope = bot.Services.CreateAsyncScope())
        {
            purged = await ActivatorUtilities.CreateInstance<PurgePublishedMessagesJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);
        }

        // Assert: only incident 1's two messages are gone; every incident keeps its drafts, entries and revisions.
        await using var read = bot.Services.CreateAsyncScope();
        var after = read.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        Assert.Equal(2, purged);
        Assert.Equal([Live, Live, PublishedRecently, PublishedRecently, LatestVersionUnpublished, LatestVersionUnpublished], await after.Messages.OrderBy(m => m.IncidentId).Select(m => m.IncidentId).ToListAsync());
        Assert.Equal(6, await after.PostMortems.CountAsync());
        Assert.Equal([Purged, Live, PublishedRecently, LatestVersionUnpublished], await after.TimelineEntries.OrderBy(e => e.IncidentId).Select(e => e.IncidentId).ToListAsync());
        Assert.Equal([Purged, Live, PublishedRecently, LatestVersionUnpublished], await after.TimelineRevisions.OrderBy(r => r.IncidentId).Select(r => r.IncidentId).ToListAsync());
        Assert.Equal("the replica is back", await after.TimelineEntries.Where(e => e.IncidentId == Purged).Select(e => e.Text).SingleAsync());
    }

    [Fact]
    public async Task The_retention_is_configurable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(Now));
        await using var bot = await BotHost.StartAsync(new BotHostOptions { Time = time, Settings = { ["Storage:KeepMessagesDays"] = "7" } });
        await using var scope = bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        AddIncident(db, PublishedRecently, IncidentStatus.Closed, (1, Now.AddDays(-8)));
        await db.SaveChangesAsync();

        var purged = await ActivatorUtilities.CreateInstance<PurgePublishedMessagesJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);

        Assert.Equal(2, purged);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3651")]
    public void A_retention_out_of_range_is_refused(string days)
    {
        var problems = TestHost.StartupProblemsWith(TestHost.MinimalSettings(("Storage:KeepMessagesDays", days)));

        Assert.Equal(["Storage:KeepMessagesDays must be between 1 and 3650."], problems);
    }

    /// <summary>An incident with two captured messages, one entry made from the first and reviewed once, and its draft versions.</summary>
    private static void AddIncident(IncidentBotDbContext db, int id, IncidentStatus status, params (int Version, DateTime? PublishedAt)[] versions)
    {
        var channel = $"C{id}";
        db.Incidents.Add(new Incident
        {
            Id = id,
            Title = $"Incident {id}",
            Status = status,
            ChannelId = channel,
            OriginChannelId = channel,
            DeclaredByUserId = "U1",
            LeaderUserId = "U1",
            DeclaredAt = Now.AddDays(-60),
            ClosedAt = status == IncidentStatus.Closed ? Now.AddDays(-50) : null,
        });
        db.Messages.AddRange(
            new CapturedMessage { ChannelId = channel, Ts = "1505887500.000100", IncidentId = id, UserId = "U1", Text = "the replica is back", PostedAt = Now.AddDays(-60) },
            new CapturedMessage { ChannelId = channel, Ts = "1505887600.000200", IncidentId = id, UserId = "U1", Text = "thanks", PostedAt = Now.AddDays(-60) });
        var entry = new TimelineEntry
        {
            IncidentId = id,
            Kind = EntryKind.Message,
            OccurredAt = Now.AddDays(-60),
            AuthorUserId = "U1",
            Text = "the replica is back",
            SourceChannelId = channel,
            SourceTs = "1505887500.000100",
            RecordedAt = Now.AddDays(-60),
        };
        db.TimelineEntries.Add(entry);
        db.SaveChanges();
        db.TimelineRevisions.Add(new TimelineRevision { IncidentId = id, EntryId = entry.Id, ByUserId = "U1", At = Now.AddDays(-55), BeforeText = "replica back", AfterText = entry.Text });
        foreach (var (version, publishedAt) in versions)
        {
            db.PostMortems.Add(new PostMortem { IncidentId = id, Version = version, Markdown = $"# Incident {id}", DraftJson = "{}", CompiledAt = Now.AddDays(-50), PublishedAt = publishedAt });
        }
    }
}
