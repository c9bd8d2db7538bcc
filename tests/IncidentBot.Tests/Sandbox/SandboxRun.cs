using System.Net.Http.Json;
using IncidentBot.Sandbox;
using IncidentBot.SlackFake;
using IncidentBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace IncidentBot.Tests.Sandbox;

/// <summary>The sandbox as <c>dotnet run</c> starts it without credentials (SandboxLauncher), but in-process on a free loopback port.</summary>
public sealed class SandboxRun : TestHost
{
    private readonly SandboxHost _host;
    private readonly CapturingLoggerProvider _logs;

    private SandboxRun(WebApplication app, SandboxHost host, CapturingLoggerProvider logs)
        : base(app, alongside: host)
    {
        _host = host;
        _logs = logs;
    }

    public FakeSlackServer Slack => _host.Slack;

    /// <summary>The bot's warnings and errors, for a failing test to show.</summary>
    public IEnumerable<string> Problems => _logs.Lines.Where(l => !l.StartsWith("Information", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal) && !l.StartsWith("Trace", StringComparison.Ordinal));

    /// <summary>What the bot's jobs are doing, for a test that waited in vain.</summary>
    public string JobsReport => Infrastructure.JobsReport.Describe(Services);

    /// <summary>The Slack calls so far, the bot's problems and its jobs: what a test that waited in vain last saw.</summary>
    public string Describe() =>
        $"Slack calls: {string.Join(", ", Slack.Calls.All.Select(c => c.Method))}. Bot problems:\n{string.Join('\n', Problems)}\n{JobsReport}";

    /// <summary>A person types <paramref name="text"/> (a message, or a slash command) on the page, as its script sends it.</summary>
    public Task<HttpResponseMessage> PostMessageAsync(string user, string channel, string text) =>
        Http.PostAsJsonAsync("sandbox/api/messages", new { user, channel, text });

    /// <summary>A person joins a public channel from the page's channel list.</summary>
    public Task<HttpResponseMessage> JoinChannelAsync(string user, string channel) =>
        Http.PostAsJsonAsync("sandbox/api/channels/join", new { user, channel, ts = "" });

    /// <summary>A person clicks a reaction on a message.</summary>
    public Task<HttpResponseMessage> AddReactionAsync(string user, string channel, string ts, string name) =>
        Http.PostAsJsonAsync("sandbox/api/reactions", new { user, channel, ts, name, add = true });

    public static async Task<SandboxRun> StartAsync()
    {
        var logs = new CapturingLoggerProvider();
        var builder = CreateBotBuilder(logs);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = LoopbackUrl });
        var (host, problem) = await SandboxLauncher.PrepareAsync(builder, []);
        Assert.True(problem is null, problem);
        var sandbox = new SandboxRun(BuildBot(builder), host!, logs);
        await sandbox.ListenAsync(app => SandboxLauncher.StartAsync(app, host!));
        return sandbox;
    }
}
