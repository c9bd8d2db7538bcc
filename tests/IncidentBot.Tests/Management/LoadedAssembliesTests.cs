using IncidentBot.SlackFake;
using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Management;

/// <summary>
/// What the bot's own process maps (issue 14's idle memory): each assembly loaded costs its mapped pages and its type
/// data for the life of the process, so a bot on SQLite with no management port and no OTLP loads nothing that only
/// PostgreSQL, telemetry, the sandbox or a first post-mortem needs. Read from /proc, as the kernel counts it, from
/// the bot started as an operator starts it (its own process, settings from the environment).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LoadedAssembliesTests
{
    private static readonly string[] NotOnSqliteWithoutTelemetry =
    [
        "Npgsql.dll", "Npgsql.EntityFrameworkCore.PostgreSQL.dll", "Hangfire.PostgreSql.dll",
        "OpenTelemetry.dll", "OpenTelemetry.Exporter.Prometheus.AspNetCore.dll", "OpenTelemetry.Instrumentation.AspNetCore.dll",
        "IncidentBot.SlackFake.dll", "YamlDotNet.dll",
        "Fluid.dll", "Parlot.dll", "Markdig.dll",
    ];

    [Fact]
    public async Task A_bot_on_SQLite_without_management_port_or_OTLP_maps_no_PostgreSQL_telemetry_sandbox_or_draft_assembly()
    {
        // Arrange
        await using var slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = TimeProvider.System });
        var options = BotHostOptions.ConnectedTo(slack);
        options.Settings["Management:Urls"] = "";

        // Act
        await using var bot = await BotProcess.StartAsync(options);
        var mapped = MappedAssemblies(bot.Id);

        // Assert: the control first, so an empty or unreadable map cannot pass.
        Assert.Contains("Microsoft.EntityFrameworkCore.Sqlite.dll", mapped);
        Assert.Contains("Hangfire.InMemory.dll", mapped);
        Assert.Empty(NotOnSqliteWithoutTelemetry.Intersect(mapped));
    }

    [Fact]
    public async Task With_a_management_port_the_bot_loads_OpenTelemetry_for_its_metrics()
    {
        // Arrange: the default test settings have a management port.
        await using var slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = TimeProvider.System });
        var options = BotHostOptions.ConnectedTo(slack);

        // Act
        await using var bot = await BotProcess.StartAsync(options);
        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(new Uri($"http://127.0.0.1:{options.ManagementPort}/metrics"));

        // Assert
        Assert.Contains("OpenTelemetry.dll", MappedAssemblies(bot.Id));
        Assert.Contains("incidentbot_incidents_live", scrape, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql.dll", MappedAssemblies(bot.Id));
    }

    /// <summary>The file names of the assemblies mapped into process <paramref name="pid"/>.</summary>
    private static HashSet<string> MappedAssemblies(int pid) =>
        File.ReadLines($"/proc/{pid}/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[^1].EndsWith(".dll", StringComparison.Ordinal))
            .Select(fields => Path.GetFileName(fields[^1]))
            .ToHashSet(StringComparer.Ordinal);
}
