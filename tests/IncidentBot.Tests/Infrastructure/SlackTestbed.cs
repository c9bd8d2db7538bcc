using IncidentBot.Slack;
using IncidentBot.SlackFake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>The fake Slack and the real bot, connected both ways over loopback: HTTP, or Socket Mode plus HTTP.</summary>
public sealed class SlackTestbed : IAsyncDisposable
{
    private SlackTestbed(FakeSlackServer slack, BotHost bot)
    {
        Slack = slack;
        Bot = bot;
    }

    public FakeSlackServer Slack { get; }
    public BotHost Bot { get; }

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
        var options = new BotHostOptions
        {
            BotToken = slack.Options.BotToken,
            SigningSecret = slack.Options.SigningSecret,
            AppToken = transport == BotTransport.SocketMode ? slack.Options.AppToken : null,
            SlackApiBaseUrl = slack.ApiBaseUrl,
            Time = time,
        };
        var bot = await BotHost.StartAsync(configure?.Invoke(options) ?? options);
        slack.ConnectBot(bot.BaseUrl);
        if (transport == BotTransport.SocketMode && waitForSockets)
        {
            var connections = bot.Services.GetRequiredService<IOptions<SlackOptions>>().Value.SocketConnections;
            await slack.SocketMode.WaitForOpenConnectionsAsync(connections);
        }

        return new SlackTestbed(slack, bot);
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
