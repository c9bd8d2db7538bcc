using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Sandbox;

/// <summary>
/// The README's run commands, run as a user runs them: the built bot as its own process, with no Slack credentials.
/// </summary>
public sealed class DemoCommandTests
{
    private static async Task<(int ExitCode, string Output, string WorkingDirectory)> RunBotAsync(Dictionary<string, string> environment, params string[] args)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("incidentbot-demo-").FullName;
        var (exitCode, output) = await BotProcess.RunToExitAsync(workingDirectory, environment, args, TimeSpan.FromMinutes(2));
        return (exitCode, output, workingDirectory);
    }

    [Fact]
    public async Task Demo_replays_the_seed_prints_each_step_and_the_draft_and_writes_it_to_a_file()
    {
        var (exitCode, output, directory) = await RunBotAsync(new Dictionary<string, string>(), "demo");

        Assert.True(exitCode == 0, output);
        Assert.Contains("2017-09-20 06:05  Henry Clifford types /incident start Consumer app outage  →  :rotating_light: INC-1 declared", output, StringComparison.Ordinal);
        Assert.Contains("2017-09-20 06:50  Josh Pereira reacts :pushpin: to \"confirmed\"", output, StringComparison.Ordinal);
        Assert.Contains("Closed INC-1 *Consumer app outage* after 49 min.", output, StringComparison.Ordinal);
        var file = Path.Combine(directory, "postmortem-2017-09-20-consumer-app-outage.md");
        Assert.True(File.Exists(file), output);
        var expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "PostMortems", "seed-postmortem.expected.md"));
        Assert.Equal(expected.Replace("\r\n", "\n", StringComparison.Ordinal), await File.ReadAllTextAsync(file));
        Assert.Contains(expected.Split('\n')[16], output, StringComparison.Ordinal);
        Assert.DoesNotContain("Executed DbCommand", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_is_refused_when_real_slack_credentials_are_set()
    {
        var (exitCode, output, _) = await RunBotAsync(new Dictionary<string, string> { ["Slack__BotToken"] = "xoxb-real-looking" }, "demo");

        Assert.Equal(78, exitCode);
        Assert.Contains("real Slack credentials are set (Slack:BotToken)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb-real-looking", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandbox_refuses_to_listen_beyond_this_machine()
    {
        var (exitCode, output, _) = await RunBotAsync(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://0.0.0.0:5099", ["ASPNETCORE_ENVIRONMENT"] = "Development" });

        Assert.Equal(78, exitCode);
        Assert.Contains("The sandbox binds to this machine only, not to 'http://0.0.0.0:5099'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_production_missing_credentials_fail_closed_with_every_key_named_and_no_sandbox()
    {
        var (exitCode, output, _) = await RunBotAsync(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ASPNETCORE_URLS"] = "http://127.0.0.1:5098" });

        Assert.Equal(78, exitCode);
        Assert.Contains("Slack:BotToken is not set", output, StringComparison.Ordinal);
        Assert.Contains("Slack:SigningSecret is not set", output, StringComparison.Ordinal);
        Assert.Contains("Incidents:PostmortemChannel is not set", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Sandbox mode", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_production_the_sandbox_is_refused_even_when_asked_for()
    {
        var (exitCode, output, _) = await RunBotAsync(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ASPNETCORE_URLS"] = "http://127.0.0.1:5097" }, "sandbox");

        Assert.Equal(78, exitCode);
        Assert.Contains("The sandbox runs only in the Development environment (this is Production)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Sandbox mode", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_only_some_credentials_it_names_the_missing_ones_instead_of_starting_a_sandbox()
    {
        var (exitCode, output, _) = await RunBotAsync(new Dictionary<string, string> { ["Slack__BotToken"] = "xoxb-1" });

        Assert.Equal(78, exitCode);
        Assert.Contains("Slack:SigningSecret is not set", output, StringComparison.Ordinal);
        Assert.Contains("Incidents:PostmortemChannel is not set", output, StringComparison.Ordinal);
    }
}
