using IncidentBot.SlackFake.Scenarios;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.PostMortems;

/// <summary>The seed incident on a bot whose database is PostgreSQL: the same draft, byte for byte, as on SQLite.</summary>
public sealed class SeedPostMortemOnPostgreSqlTests
{
    [SkippableFact]
    public async Task The_seed_incident_on_postgresql_compiles_to_the_same_draft_as_on_sqlite()
    {
        // Arrange: a database of its own on the test server, migrated by the bot at start, with Hangfire's schema beside it.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2017, 9, 19, 13, 0, 0, TimeSpan.Zero));
        await using var testbed = await SlackTestbed.StartAsync(time, options =>
        {
            options.InDeclaringChannel();
            foreach (var (key, value) in database.Settings)
            {
                options.Settings[key] = value;
            }

            return options;
        });

        // Act
        await new ScenarioPlayer(testbed.Slack, time.SetUtcNow).PlayAsync(SeedIncident.Create(), afterStep: async (_, _) => await testbed.SettleAsync());

        // Assert: the bot really ran on PostgreSQL, and published what the golden file holds.
        Assert.True(await testbed.QueryAsync(db => Task.FromResult(db.Database.IsNpgsql())));
        var markdown = await testbed.QueryAsync(db => db.PostMortems.Select(p => p.Markdown).SingleAsync());
        await SeedPostMortemTests.AssertIsTheGoldenDraftAsync(markdown);
        var published = testbed.Slack.Workspace.Files;
        Assert.Equal(markdown, Assert.Single(published).ContentAsString);
    }
}
