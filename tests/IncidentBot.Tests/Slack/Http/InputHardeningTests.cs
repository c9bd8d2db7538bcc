using System.Net;
using System.Net.Sockets;
using System.Text;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using IncidentBot.SlackFake.Driver;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Slack.Http;

/// <summary>What a stranger on the Slack-facing port can cost the bot, and where the bot may be made to post.</summary>
public sealed class InputHardeningTests : IAsyncLifetime
{
    private SlackTestbed _testbed = null!;

    private FakeSlackDriver Slack => _testbed.Slack.Driver;

    public async Task InitializeAsync()
    {
        _testbed = await SlackTestbed.StartAsync(configure: options =>
        {
            var hardened = options with
            {
                // A secret from a mounted file, newline and all.
                SigningSecret = options.SigningSecret + "\n",
                ConfigureSlack = slack => slack.AddCommand<EchoCommand>("/incident", "echo"),
            };
            hardened.Settings["Http:RequestHeadersTimeout"] = "00:00:01";
            return hardened;
        });
        _testbed.Slack.Workspace.AddUser("U0ANA", "ana", "Ana Lima");
        _testbed.Slack.Workspace.CreateChannel("general", false, "U0ANA", _testbed.Slack.Options.BotUserId);
    }

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private string General => _testbed.Slack.Workspace.Channels.Single(c => c.Name == "general").Id;

    [Fact]
    public async Task A_signing_secret_with_a_trailing_newline_still_verifies_slacks_signature()
    {
        var result = await Slack.SendSlashCommandAsync("U0ANA", General, "/incident", "echo hi");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("hi", result.Json!.Value.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Slacks_ssl_check_gets_200_and_an_empty_body_signed_or_not(bool signed)
    {
        var result = await Slack.SendRawAsync("slack/commands", "ssl_check=1&token=abc", "application/x-www-form-urlencoded", signed: signed);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("", result.Body);
    }

    [Theory]
    [InlineData("x-slack-signature", "v0=zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    [InlineData("x-slack-signature", "v0=00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("x-slack-request-timestamp", "1700000000.5")]
    [InlineData("x-slack-request-timestamp", "99999999999999999999999")]
    public async Task Headers_that_cannot_be_slacks_are_refused_with_401(string header, string value)
    {
        var result = await Slack.SendRawAsync("slack/events", "{\"type\":\"url_verification\",\"challenge\":\"c\"}", "application/json", headers: new Dictionary<string, string> { [header] = value });

        Assert.Equal(401, result.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_configured_limit_gets_413()
    {
        await using var limited = await SlackTestbed.StartAsync(configure: options =>
        {
            options.Settings["Http:MaxRequestBodyBytes"] = "65536";
            return options;
        });
        var body = "{\"type\":\"event_callback\",\"pad\":\"" + new string('x', 65536) + "\"}";

        var result = await limited.Slack.Driver.SendRawAsync("slack/events", body, "application/json");

        Assert.Equal(413, result.StatusCode);
    }

    [Fact]
    public async Task A_client_that_never_finishes_its_headers_is_disconnected()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _testbed.Bot.BaseUrl.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /slack/events HTTP/1.1\r\nHost: bot\r\n"));

        // Kestrel answers 408 and closes; all that matters is that the connection does not stay open.
        var answer = await ReadToEndAsync(stream, TimeSpan.FromSeconds(15));

        Assert.True(answer.Closed, "the connection should be closed after Http:RequestHeadersTimeout");
    }

    [Fact]
    public async Task A_response_url_on_another_host_is_refused_and_never_requested()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var client = _testbed.Bot.Services.GetRequiredService<IResponseUrlClient>();

        foreach (var url in new[] { $"http://127.0.0.1:{port}/commands/T1/2/x", $"https://hooks.slack.com.evil.example:{port}/x", "http://hooks.slack.com/commands/T1/2/x", "not a url" })
        {
            var refused = await Assert.ThrowsAsync<SlackApiException>(() => client.RespondAsync(url, new ResponseUrlMessage { Text = "hi" }, CancellationToken.None));
            Assert.Equal(ResponseUrlClient.RefusedCode, refused.ErrorCode);
        }

        await Task.Delay(200);
        Assert.False(listener.Pending(), "nothing should have connected to the listener");
    }

    [Fact]
    public async Task A_response_url_on_the_api_host_is_posted_to()
    {
        var command = await Slack.SendSlashCommandAsync("U0ANA", General, "/incident", "echo hi");
        var client = _testbed.Bot.Services.GetRequiredService<IResponseUrlClient>();

        await client.RespondAsync(command.ResponseUrl.ToString(), new ResponseUrlMessage { Text = "later" }, CancellationToken.None);
    }

    /// <summary>
    /// Connections, all at once, that each send headers claiming <paramref name="contentLength"/> bytes and then 10
    /// bytes. Honest ones (10 claimed) are answered and closed; the others are held open a while, so that the bot is
    /// waiting for the rest of their bodies, and then dropped.
    /// </summary>
    internal static async Task SendPartialAsync(int port, int contentLength, string signature, int connections)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var request = Encoding.ASCII.GetBytes(
            $"POST /slack/events HTTP/1.1\r\nHost: bot\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\n" +
            $"X-Slack-Request-Timestamp: {timestamp}\r\nX-Slack-Signature: {signature}\r\n\r\n{{\"a\":\"bc\"}}");
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            var stream = client.GetStream();
            await stream.WriteAsync(request);
            var answer = await ReadToEndAsync(stream, contentLength == 10 ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(1));
            Assert.Equal(contentLength == 10, answer.Text.StartsWith("HTTP/1.1 401", StringComparison.Ordinal));
        }));

        // The bot's side of the dropped connections winds down.
        await Task.Delay(300);
    }

    internal static async Task<(bool Closed, string Text)> ReadToEndAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancel.Token)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return (true, text.ToString());
        }
        catch (IOException)
        {
            return (true, text.ToString()); // reset by the server: closed too
        }
        catch (OperationCanceledException)
        {
            return (false, text.ToString());
        }
    }

    private sealed class EchoCommand : ISlashCommandHandler
    {
        public Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken) =>
            Task.FromResult<SlashCommandResponse?>(SlashCommandResponse.Ephemeral(SlackText.Unescape(command.Text)));
    }
}
