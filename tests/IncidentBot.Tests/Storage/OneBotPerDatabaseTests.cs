using IncidentBot.SlackFake;
using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Storage;

/// <summary>
/// SQLite means exactly one bot per database: a second process on the same file is refused by name, and the lock of
/// a process killed with SIGKILL is gone with it, so the restart is never blocked. Real processes, as an operator runs them.
/// </summary>
public sealed class OneBotPerDatabaseTests : IAsyncLifetime
{
    private readonly string _databasePath = TestDatabase.NewPath();
    private readonly List<BotProcess> _bots = [];
    private FakeSlackServer _slack = null!;

    public async Task InitializeAsync() =>
        _slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = TimeProvider.System });

    public async Task DisposeAsync()
    {
        foreach (var bot in _bots)
        {
            await bot.DisposeAsync();
        }

        await _slack.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_databasePath)!, Path.GetFileName(_databasePath) + "*"))
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_second_bot_on_the_same_database_is_refused_and_a_killed_one_never_blocks_the_restart()
    {
        // Arrange
        var first = await StartBotAsync();

        // Act: a second process, as a second replica or a forgotten `dotnet run` would start.
        var (exitCode, output) = await BotProcess.RunToExitAsync(AppContext.BaseDirectory, BotProcess.EnvironmentFor(Options()), [], TimeSpan.FromSeconds(60));

        // Assert: refused before it touched the database, naming the file and how to find the other process.
        Assert.Equal(78, exitCode);
        Assert.Contains($"The database {_databasePath} is in use by another IncidentBot process, which holds {_databasePath}.lock.", output, StringComparison.Ordinal);
        Assert.Contains($"fuser -v {_databasePath}.lock", output, StringComparison.Ordinal);
        Assert.False(first.HasExited);

        // Act: kill -9 leaves the lock file behind, but not the lock.
        await first.KillAsync();
        Assert.True(File.Exists(_databasePath + ".lock"));
        var restarted = await StartBotAsync();

        // Assert: StartBotAsync waited for /healthz.
        Assert.False(restarted.HasExited);
    }

    private BotHostOptions Options() => BotHostOptions.ConnectedTo(_slack) with { DatabasePath = _databasePath };

    private async Task<BotProcess> StartBotAsync()
    {
        var bot = await BotProcess.StartAsync(Options());
        _bots.Add(bot);
        return bot;
    }
}
