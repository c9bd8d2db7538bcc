using IncidentBot.SlackFake;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>The fake Slack and the real bot, connected both ways over loopback HTTP.</summary>
public sealed class SlackTestbed : IAsyncDisposable
{
    private SlackTestbed(FakeSlackServer slack, BotHost bot)
    {
        Slack = slack;
        Bot = bot;
    }

    public FakeSlackServer Slack { get; }
    public BotHost Bot { get; }

    /// <summary>Starts both. Pass a clock to control time on both sides (Slack's ts and signatures, the bot's retries).</summary>
    public static async Task<SlackTestbed> StartAsync(FakeTimeProvider? time = null, Func<BotHostOptions, BotHostOptions>? configure = null)
    {
        var slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = time ?? (TimeProvider)TimeProvider.System });
        var options = new BotHostOptions
        {
            BotToken = slack.Options.BotToken,
            SigningSecret = slack.Options.SigningSecret,
            SlackApiBaseUrl = slack.ApiBaseUrl,
            Time = time,
        };
        var bot = await BotHost.StartAsync(configure?.Invoke(options) ?? options);
        slack.ConnectBot(bot.BaseUrl);
        return new SlackTestbed(slack, bot);
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
