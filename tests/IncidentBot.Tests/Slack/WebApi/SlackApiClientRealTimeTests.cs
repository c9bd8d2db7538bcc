using IncidentBot.Slack.WebApi;
using IncidentBot.SlackFake.Faults;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Slack.WebApi;

/// <summary>Timeouts and connection failures, which need real sockets and real (short) time.</summary>
public sealed class SlackApiClientRealTimeTests
{
    private static BotHostOptions Fast(BotHostOptions options, CapturingLoggerProvider? logs = null) => new()
    {
        BotToken = options.BotToken,
        SigningSecret = options.SigningSecret,
        SlackApiBaseUrl = options.SlackApiBaseUrl,
        Settings =
        {
            ["Slack:Resilience:AttemptTimeout"] = "00:00:00.300",
            ["Slack:Resilience:BackoffBase"] = "00:00:00.010",
            ["Slack:Resilience:MaxRetries"] = "2",
        },
        ConfigureServices = services =>
        {
            if (logs is not null)
            {
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
            }
        },
    };

    [Fact]
    public async Task A_read_that_times_out_is_tried_again()
    {
        await using var testbed = await SlackTestbed.StartAsync(configure: o => Fast(o));
        testbed.Slack.Workspace.AddUser("U0DAMIAN", "damian", "Damian Reyes");
        testbed.Slack.Faults.Enqueue("users.info", Fault.Slow(TimeSpan.FromSeconds(3)));

        var user = await testbed.Bot.Services.GetRequiredService<ISlackApiClient>().Users.InfoAsync(new UserInfoRequest { User = "U0DAMIAN" }, CancellationToken.None);

        Assert.Equal("Damian Reyes", user.User.DisplayName);
        // The fake records a call when it answers, so the slow first attempt shows up last.
        await testbed.Slack.Calls.WaitForCallAsync("users.info", 2, TimeSpan.FromSeconds(10));
        Assert.Equal(2, testbed.Slack.Calls.Count("users.info"));
    }

    [Fact]
    public async Task A_write_that_times_out_is_reported_as_of_unknown_outcome()
    {
        await using var testbed = await SlackTestbed.StartAsync(configure: o => Fast(o));
        var channel = testbed.Slack.Workspace.CreateChannel("ops", false, testbed.Slack.Options.BotUserId).Id;
        testbed.Slack.Faults.Enqueue("chat.postMessage", Fault.Slow(TimeSpan.FromSeconds(3)));

        var exception = await Assert.ThrowsAsync<SlackUnavailableException>(() => testbed.Bot.Services.GetRequiredService<ISlackApiClient>()
            .Chat.PostMessageAsync(new PostMessageRequest { Channel = channel, Text = "hi" }, CancellationToken.None));

        Assert.True(exception.OutcomeUnknown);
        // The slow post still lands after the client gave up: exactly why its outcome was reported unknown.
        await testbed.Slack.Calls.WaitForCallAsync("chat.postMessage", 1, TimeSpan.FromSeconds(10));
        Assert.Single(testbed.Slack.Workspace.Messages(channel));
        Assert.Equal(1, testbed.Slack.Calls.Count("chat.postMessage"));
    }

    [Fact]
    public async Task A_refused_connection_carried_nothing_so_even_a_write_is_safe_to_report_as_not_done()
    {
        // Port 9 is below the ephemeral range, so no server of this suite can be listening there.
        await using var bot = await BotHost.StartAsync(Fast(new BotHostOptions { SlackApiBaseUrl = new Uri("http://127.0.0.1:9/api/") }));

        var exception = await Assert.ThrowsAsync<SlackUnavailableException>(() => bot.Services.GetRequiredService<ISlackApiClient>()
            .Chat.PostMessageAsync(new PostMessageRequest { Channel = "C1", Text = "hi" }, CancellationToken.None));

        Assert.False(exception.OutcomeUnknown);
    }

    [Fact]
    public async Task A_write_whose_every_attempt_timed_out_before_it_had_a_connection_is_safe_to_report_as_not_done()
    {
        // A listener that never accepts, its queue already full: the kernel drops the bot's handshake, so each attempt
        // times out still connecting, before a byte of the post is written (as under a loaded machine).
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (System.Net.IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<System.Net.Sockets.TcpClient>();
        for (var i = 0; i < 4; i++)
        {
            var filler = new System.Net.Sockets.TcpClient();
            _ = filler.ConnectAsync(endpoint.Address, endpoint.Port);
            fillers.Add(filler);
        }

        await Task.Delay(200);
        try
        {
            await using var bot = await BotHost.StartAsync(Fast(new BotHostOptions { SlackApiBaseUrl = new Uri($"http://127.0.0.1:{endpoint.Port}/api/") }));

            var exception = await Assert.ThrowsAsync<SlackUnavailableException>(() => bot.Services.GetRequiredService<ISlackApiClient>()
                .Chat.PostMessageAsync(new PostMessageRequest { Channel = "C1", Text = "hi" }, CancellationToken.None));

            Assert.IsType<Polly.Timeout.TimeoutRejectedException>(exception.InnerException);
            Assert.False(exception.OutcomeUnknown);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task Tokens_and_the_signing_secret_never_reach_the_logs()
    {
        var logs = new CapturingLoggerProvider();
        await using var testbed = await SlackTestbed.StartAsync(configure: o => Fast(o, logs));
        var client = testbed.Bot.Services.GetRequiredService<ISlackApiClient>();
        testbed.Slack.Faults.Enqueue("users.info", Fault.Error("invalid_auth"));
        testbed.Slack.Faults.Enqueue("chat.postMessage", Fault.ServerError(500));

        await Assert.ThrowsAnyAsync<Exception>(() => client.Users.InfoAsync(new UserInfoRequest { User = "U1" }, CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => client.Chat.PostMessageAsync(new PostMessageRequest { Channel = "C404", Text = "x" }, CancellationToken.None));
        await testbed.Slack.Driver.SendRawAsync("slack/events", "{}", "application/json", signed: false);
        await testbed.Slack.Driver.SendSlashCommandAsync("U1", "C1", "/incident", "help");

        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(testbed.Slack.Options.BotToken, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(testbed.Slack.Options.SigningSecret, StringComparison.Ordinal));
    }
}
