using IncidentBot.SlackFake;

namespace IncidentBot.Tests.SlackFake;

/// <summary>A started fake delivering to a <see cref="RecordingBot"/> on loopback, for tests of what Slack sends the bot.</summary>
public abstract class RecordingBotTestBase : FakeSlackTestBase
{
    protected RecordingBot Bot { get; private set; } = null!;

    // Slack's 3 seconds, shortened; long enough that a loaded machine's slow answer is not read as a timeout.
    protected override void Configure(FakeSlackOptions options) => options.AckTimeout = TimeSpan.FromSeconds(2);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Bot = await RecordingBot.StartAsync();
        Slack.BotBaseUrl = Bot.BaseUrl;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Bot.DisposeAsync();
    }
}
