using IncidentBot.SlackFake;
using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Storage;

/// <summary>
/// SQLite means exactly one bot per database: a second process on the same file is refused by name, and the lock of
/// a process killed with SIGKILL is gone with it, so the restart is never blocked. Real processes, as an operator runs them.
/// </summary>
public sealed class OneBotPerDatabaseTests : BotProcessTestBase
{
    [Fact]
    public async Task A_second_bot_on_the_same_database_is_refused_and_a_killed_one_never_blocks_the_restart()
    {
        // Arrange
        var first = await StartBotAsync();

        // Act: a second process, as a second replica or a forgotten `dotnet run` would start.
        var (exitCode, output) = await BotProcess.RunToExitAsync(AppContext.BaseDirectory, BotProcess.EnvironmentFor(Options()), [], TimeSpan.FromSeconds(60));

        // Assert: refused before it touched the database, naming the file and how to find the other process.
        Assert.Equal(78, exitCode);
        Assert.Contains($"The database {DatabasePath} is in use by another IncidentBot process, which holds {DatabasePath}.lock.", output, StringComparison.Ordinal);
        Assert.Contains($"fuser -v {DatabasePath}.lock", output, StringComparison.Ordinal);
        Assert.False(first.HasExited);

        // Act: kill -9 leaves the lock file behind, but not the lock.
        await first.KillAsync();
        Assert.True(File.Exists(DatabasePath + ".lock"));
        var restarted = await StartBotAsync();

        // Assert: StartBotAsync waited for /healthz.
        Assert.False(restarted.HasExited);
    }

    private BotHostOptions Options() => BotHostOptions.ConnectedTo(Slack) with { DatabasePath = DatabasePath };

    private async Task<BotProcess> StartBotAsync()
    {
        var bot = await BotProcess.StartAsync(Options());
        Bots.Add(bot);
        return bot;
    }
}
