using IncidentBot.SlackFake;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// Where tests of the bot as real processes begin: a fake Slack on the real clock (a child process cannot share a fake
/// one), a database file of their own, and every process they start killed and the file's remains deleted at the end.
/// </summary>
public abstract class BotProcessTestBase : IAsyncLifetime
{
    protected string DatabasePath { get; } = TestDatabase.NewPath();

    /// <summary>The processes a test started; each is killed on dispose, whatever happened.</summary>
    protected List<BotProcess> Bots { get; } = [];

    protected FakeSlackServer Slack { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = TimeProvider.System });

    public virtual async Task DisposeAsync()
    {
        foreach (var bot in Bots)
        {
            await bot.DisposeAsync();
        }

        await Slack.DisposeAsync();
        // The database and what SQLite and the bot keep beside it: -wal, -shm, .lock, snapshots.
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(DatabasePath)!, Path.GetFileName(DatabasePath) + "*"))
        {
            File.Delete(file);
        }
    }
}
