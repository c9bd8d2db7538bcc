using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Storage;

/// <summary>Storage:Provider and the PostgreSQL connection string, refused at start with what to set (none of these needs a server).</summary>
public sealed class StorageProviderStartupTests
{
    [Fact]
    public void An_unknown_provider_is_named_with_the_ones_there_are()
    {
        var problems = TestHost.StartupProblemsWith(TestHost.MinimalSettings(("Storage:Provider", "MySql")));

        Assert.Equal(["Storage:Provider 'MySql' is not known (Storage__Provider); use one of: Sqlite, PostgreSQL."], problems);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("")]
    public void Sqlite_in_any_case_or_an_empty_provider_is_the_default(string provider)
    {
        var problems = TestHost.StartupProblemsWith(TestHost.MinimalSettings(("Storage:Provider", provider)));

        Assert.Empty(problems);
    }

    [Fact]
    public void PostgreSql_without_a_connection_string_says_what_to_set()
    {
        var problems = TestHost.StartupProblemsWith(TestHost.MinimalSettings(("Storage:Provider", "PostgreSQL")));

        Assert.Equal([IncidentBot.Storage.DatabaseLocationValidator.PostgreSqlNotConfigured], problems);
    }

    [Fact]
    public void PostgreSql_with_a_connection_string_npgsql_cannot_read_is_named()
    {
        var problems = TestHost.StartupProblemsWith(TestHost.MinimalSettings(("Storage:Provider", "postgresql"), ("ConnectionStrings:IncidentBot", "Data Source=incidentbot.db")));

        var problem = Assert.Single(problems);
        Assert.StartsWith("ConnectionStrings:IncidentBot is not a valid Npgsql connection string", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_postgresql_server_is_a_startup_problem_naming_the_server_but_not_the_password()
    {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        var problems = TestHost.StartupProblemsWith(TestHost.MinimalSettings(
            ("Storage:Provider", "PostgreSQL"), ("ConnectionStrings:IncidentBot", "Host=127.0.0.1;Port=1;Database=incidentbot;Username=bot;Password=s3cret-pass;Timeout=3")));

        var problem = Assert.Single(problems);
        Assert.StartsWith("The PostgreSQL server in ConnectionStrings:IncidentBot (Host=127.0.0.1, Port=1, Database=incidentbot, Username=bot) cannot be reached", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pass", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_postgresql_server_stops_the_bot_process_with_exit_code_78()
    {
        // Arrange: the bot as an operator starts it, pointed at a server that is not there.
        var options = new BotHostOptions
        {
            Settings =
            {
                ["Storage:Provider"] = "PostgreSQL",
                ["ConnectionStrings:IncidentBot"] = "Host=127.0.0.1;Port=1;Database=incidentbot;Username=bot;Password=x;Timeout=3",
            },
        };

        // Act
        var (exitCode, output) = await BotProcess.RunToExitAsync(AppContext.BaseDirectory, BotProcess.EnvironmentFor(options), [], TimeSpan.FromSeconds(60));

        // Assert: refused with what to check, no stack trace.
        Assert.Equal(StartupProblems.ExitCode, exitCode);
        Assert.Contains("The PostgreSQL server in ConnectionStrings:IncidentBot (Host=127.0.0.1, Port=1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
