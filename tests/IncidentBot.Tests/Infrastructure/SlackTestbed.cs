using IncidentBot.Storage;
using IncidentBot.Slack;
using IncidentBot.SlackFake;
using IncidentBot.Tests.Builders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>The fake Slack and the real bot, connected both ways over loopback: HTTP, or Socket Mode plus HTTP.</summary>
public sealed class SlackTestbed : IAsyncDisposable
{
    private readonly BotHostOptions _options;

    private SlackTestbed(FakeSlackServer slack, BotHost bot, BotHostOptions options)
    {
        Slack = slack;
        Bot = bot;
        _options = options;
    }

    public FakeSlackServer Slack { get; }
    public BotHost Bot { get; private set; }

    public string PostmortemChannel => _options.Settings["Incidents:PostmortemChannel"]!;

    /// <summary>
    /// Starts both. Pass a clock to control time on both sides (Slack's ts and signatures, the bot's retries).
    /// With <paramref name="transport"/> Socket Mode, the bot gets the fake's app token, the driver delivers over the
    /// bot's connections, and this returns once all of them are open (unless <paramref name="waitForSockets"/> is false).
    /// <paramref name="configureSlack"/> runs on the started fake before the bot starts.
    /// </summary>
    public static async Task<SlackTestbed> StartAsync(
        FakeTimeProvider? time = null,
        Func<BotHostOptions, BotHostOptions>? configure = null,
        BotTransport transport = BotTransport.Http,
        Action<FakeSlackServer>? configureSlack = null,
        bool waitForSockets = true)
    {
        var slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = time ?? (TimeProvider)TimeProvider.System, Transport = transport });
        configureSlack?.Invoke(slack);
        var options = BotHostOptions.ConnectedTo(slack, transport) with { Time = time };
        options = configure?.Invoke(options) ?? options;

        // Where drafts go, as a workspace admin would set it up: a channel the bot is in.
        var postmortems = slack.Workspace.CreateChannel("postmortems", false, slack.Options.BotUserId);
        options.Settings.TryAdd("Incidents:PostmortemChannel", postmortems.Id);
        var bot = await BotHost.StartAsync(options);
        slack.ConnectBot(bot.BaseUrl);
        if (transport == BotTransport.SocketMode && waitForSockets)
        {
            var connections = bot.Services.GetRequiredService<IOptions<SlackOptions>>().Value.SocketConnections;
            await slack.SocketMode.WaitForOpenConnectionsAsync(connections, Eventually.DefaultTimeout);
        }

        return new SlackTestbed(slack, bot, options);
    }

    /// <summary>
    /// Starts both, incidents kept in the channel where they are declared, with <paramref name="people"/> (of
    /// <see cref="TestPeople"/>) and the bot in a public channel named <paramref name="channel"/> (its id:
    /// <see cref="ChannelId"/>): where most incident tests begin.
    /// </summary>
    public static async Task<SlackTestbed> StartInChannelAsync(
        FakeTimeProvider time, string channel, string[] people, Func<BotHostOptions, BotHostOptions>? configure = null)
    {
        var testbed = await StartAsync(time, options =>
        {
            options.InDeclaringChannel();
            return configure?.Invoke(options) ?? options;
        });
        foreach (var person in people)
        {
            TestPeople.AddTo(testbed.Slack.Workspace, person);
        }

        testbed.Slack.Workspace.CreateChannel(channel, false, [.. people, testbed.Slack.Options.BotUserId]);
        return testbed;
    }

    /// <summary>The id of the channel named <paramref name="name"/>.</summary>
    public string ChannelId(string name) =>
        Slack.Workspace.FindChannelByName(name)?.Id ?? throw new InvalidOperationException($"There is no channel named {name}.");

    /// <summary>
    /// Stops the bot as a crash would leave it (queued jobs forgotten, as in-memory storage forgets them) and starts a
    /// new one on the same database.
    /// </summary>
    public async Task RestartBotAsync()
    {
        Bot.Jobs.Forget();
        await Bot.DisposeAsync();
        Bot = await BotHost.StartAsync(_options);
        Slack.ConnectBot(Bot.BaseUrl);
    }

    /// <summary>Runs the bot's jobs and waits for the events Slack echoes back, until nothing more happens.</summary>
    public async Task SettleAsync()
    {
        for (var round = 0; round < 50; round++)
        {
            await Slack.WhenIdleAsync();
            if (await Bot.Jobs.RunAllAsync() + await CaptureDrainers.WhenIdleAsync([Bot.Services]) == 0)
            {
                await Slack.WhenIdleAsync();
                if (Bot.Jobs.Pending == 0)
                {
                    return;
                }
            }
        }

        throw new InvalidOperationException("The bot and the fake Slack did not settle.");
    }

    /// <summary>Reads the bot's database as it is now.</summary>
    public async Task<T> QueryAsync<T>(Func<IncidentBotDbContext, Task<T>> query)
    {
        await using var scope = Bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        return await query(db);
    }

    public Task<List<Timeline.TimelineEntry>> TimelineAsync(int incidentId) =>
        QueryAsync(db => db.TimelineEntries.Where(e => e.IncidentId == incidentId).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToListAsync());

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
