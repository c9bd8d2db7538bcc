using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Replicas;

/// <summary>Two replicas started at the same moment on an empty database: both come up, and the database is made once.</summary>
public sealed class ConcurrentStartTests : ReplicasTestBase
{
    [SkippableFact]
    public async Task Two_replicas_started_together_on_an_empty_database_both_come_up_on_one_schema_and_one_installation()
    {
        // Act: both migrate, install Hangfire's schema and make the installation's id at once.
        var replicas = await StartReplicasAsync(2);

        // Assert: both healthy and serving jobs; every migration applied once; one installation id.
        Assert.All(replicas, r => Assert.False(r.HasExited, r.Output));
        // Hangfire's schema installed once, not raced for and recovered by its start-up retries.
        Assert.All(replicas, r => Assert.DoesNotContain("Error while executing install/upgrade", r.Output, StringComparison.Ordinal));
        var applied = await QueryAsync(db => db.Database.GetAppliedMigrationsAsync());
        var known = await QueryAsync(db => Task.FromResult(db.Database.GetMigrations()));
        Assert.Equal(known, applied);
        Assert.Equal(1, await QueryAsync(db => db.Installation.CountAsync()));
        Assert.Equal(2, (await HangfireAsync("SELECT id FROM hangfire.server")).Count);
    }
}
