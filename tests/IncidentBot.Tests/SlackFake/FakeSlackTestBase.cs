using IncidentBot.SlackFake;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.SlackFake;

/// <summary>A started fake with a frozen clock, a human or two, and a raw API client.</summary>
public abstract class FakeSlackTestBase : IAsyncLifetime
{
    protected const string Alice = "U0ALICE001";
    protected const string Bob = "U0BOB00001";

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));

    protected FakeSlackServer Slack { get; private set; } = null!;

    protected SlackApiTestClient Api { get; private set; } = null!;

    protected virtual void Configure(FakeSlackOptions options)
    {
    }

    public virtual async Task InitializeAsync()
    {
        var options = new FakeSlackOptions { Clock = Clock };
        Configure(options);
        Slack = await FakeSlackServer.StartNewAsync(options);
        Slack.Workspace.AddUser(Alice, "alice", "Alice Martin", "alice", "Europe/Paris");
        Slack.Workspace.AddUser(Bob, "bob", "Bob Stone");
        Api = new SlackApiTestClient(Slack);
    }

    public virtual async Task DisposeAsync()
    {
        Api.Dispose();
        await Slack.DisposeAsync();
    }

    /// <summary>A public channel with the bot and Alice in it.</summary>
    protected string ChannelWithBot(string name = "inc-1-db") =>
        Slack.Workspace.CreateChannel(name, false, Slack.Options.BotUserId, Alice).Id;
}
