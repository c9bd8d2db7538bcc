using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Management;
using IncidentBot.SlackFake;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Management;

/// <summary>
/// What an operator's log pipeline reads: the bot as its own process with JSON console logs, real-looking secrets and
/// an incident declared, so that the lines of start-up, Socket Mode and a command's jobs are all in the output.
/// </summary>
public sealed class StartupLogTests
{
    // Shaped like Slack's, so that a log line that printed one (or its tail) would be found.
    private const string BotToken = "xoxb-7301245560-7311842290178-Q8vZk2LmXw4RtY6uNb3HcE1s";
    private const string SigningSecret = "8f3c2a9d41b7e6f05c1d9a7b3e2f4c61";
    private const string AppToken = "xapp-1-A07ABCD1234-7312345678901-4f9e8d7c6b5a49382716f5e4d3c2b1a0f9e8d7c6b5a493827";

    [Fact]
    public async Task With_json_console_logs_every_line_is_json_the_version_is_logged_once_at_start_and_no_secret_appears()
    {
        // Arrange
        await using var slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions
        {
            Clock = TimeProvider.System,
            Transport = BotTransport.SocketMode,
            BotToken = BotToken,
            SigningSecret = SigningSecret,
            AppToken = AppToken,
        });
        TestPeople.AddTo(slack.Workspace, TestPeople.Ana);
        var channel = slack.Workspace.CreateChannel("ops", false, TestPeople.Ana, slack.Options.BotUserId);
        var options = BotHostOptions.ConnectedTo(slack, BotTransport.SocketMode).InDeclaringChannel();
        options.Settings["Logging:Console:FormatterName"] = "json";

        // Act
        await using var bot = await BotProcess.StartAsync(options);
        await slack.Driver.SendSlashCommandAsync(TestPeople.Ana, channel.Id, "/incident", "start Checkout is down");
        await Eventually.Until(() => slack.Workspace.Messages(channel.Id).Any(m => m.User == slack.Options.BotUserId), "the bot to announce the incident", () => bot.Output);
        using var http = new HttpClient();
        var details = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{options.ManagementPort}/healthz/ready");

        // Assert
        var lines = bot.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var logs = lines.Select(line => ParseOrFail(line, bot.Output)).ToList();
        var starting = Assert.Single(logs, l => l.GetProperty("EventId").GetInt32() == 9000);
        Assert.Equal("Information", starting.GetProperty("LogLevel").GetString());
        Assert.Equal(HealthEndpoints.Version, starting.GetProperty("State").GetProperty("Version").GetString());
        Assert.Matches(@"\+[0-9a-f]{7,40}$", HealthEndpoints.Version);
        Assert.Equal(HealthEndpoints.Version, details.GetProperty("version").GetString());
        foreach (var secret in new[] { BotToken, SigningSecret, AppToken, BotToken[^16..], SigningSecret[^16..], AppToken[^16..] })
        {
            Assert.DoesNotContain(secret, bot.Output, StringComparison.Ordinal);
        }
    }

    private static JsonElement ParseOrFail(string line, string output)
    {
        try
        {
            return JsonDocument.Parse(line).RootElement.Clone();
        }
        catch (JsonException)
        {
            Assert.Fail($"Not a JSON line: {line}\n{output}");
            throw;
        }
    }
}
