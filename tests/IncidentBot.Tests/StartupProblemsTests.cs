using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests;

public sealed class StartupProblemsTests
{
    private static IReadOnlyList<string> ProblemsWith(Dictionary<string, string?> settings) => TestHost.StartupProblemsWith(settings);

    [Fact]
    public void Without_credentials_every_missing_key_is_named_with_its_environment_variable()
    {
        var problems = ProblemsWith([]);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Slack:BotToken is not set", StringComparison.Ordinal) && p.Contains("Slack__BotToken", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Slack:SigningSecret is not set", StringComparison.Ordinal) && p.Contains("Slack__SigningSecret", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Incidents:PostmortemChannel is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void A_token_of_the_wrong_kind_is_named()
    {
        var problems = ProblemsWith(TestHost.MinimalSettings(("Slack:BotToken", "xapp-1-A0-123"), ("Slack:AppToken", "xoxb-wrong-place")));

        Assert.Equal(
            ["Slack:AppToken must be an app-level token starting with 'xapp-' (Slack__AppToken), or empty.", "Slack:BotToken must be a bot token starting with 'xoxb-' (Slack__BotToken)."],
            problems.Order());
    }

    [Fact]
    public void A_reviewer_that_is_not_a_slack_user_or_user_group_id_is_named()
    {
        var problems = ProblemsWith(TestHost.MinimalSettings(("Incidents:Reviewers:0", "U0ANA00001"), ("Incidents:Reviewers:1", "@henry")));

        Assert.Equal(["Incidents:Reviewers holds '@henry', which is not a Slack user id (U…, W…) or user group id (S…)."], problems);
    }

    [Theory]
    [InlineData("pushpin", "Incidents:CaptureReaction must not be 'pushpin': that emoji puts messages on the record, so the bot's own acknowledgement would read as a mark.")]
    [InlineData("bulb", "Incidents:CaptureReaction must not be 'bulb': that emoji puts messages on the record, so the bot's own acknowledgement would read as a mark.")]
    [InlineData(":eyes:", "Incidents:CaptureReaction must be an emoji name without colons, e.g. eyes, or empty for none.")]
    public void A_capture_reaction_that_marks_the_record_or_is_no_emoji_name_is_named(string reaction, string expected)
    {
        var problems = ProblemsWith(TestHost.MinimalSettings(("Incidents:CaptureReaction", reaction)));

        Assert.Equal([expected], problems);
    }

    [Fact]
    public void Severities_out_of_range_are_named()
    {
        var problems = ProblemsWith(TestHost.MinimalSettings(("Incidents:Severities:0:Name", "P1"), ("Incidents:Severities:0:UpdateEveryMinutes", "0"), ("Incidents:Severities:1:Name", "p1")));

        Assert.Equal(
            ["Incidents:Severities must be distinct, non-empty names of at most 20 characters, e.g. SEV1, SEV2.", "Incidents:Severities:N:UpdateEveryMinutes must be between 1 and 1440, or left out for no update reminder."],
            problems.Order());
    }

    [Fact]
    public void Socket_mode_settings_out_of_range_are_named()
    {
        var problems = ProblemsWith(TestHost.MinimalSettings(("Slack:AppToken", "xapp-1-A0-123"), ("Slack:SocketConnections", "11"), ("Slack:SocketIdleTimeout", "00:00:01")));

        Assert.Equal(
            ["Slack:SocketConnections must be between 1 and Slack's limit of 10.", "Slack:SocketIdleTimeout must be between 3 seconds and 10 minutes."],
            problems.Order());
    }

    [Fact]
    public void An_unavailable_job_storage_and_an_open_dashboard_are_refused()
    {
        var problems = ProblemsWith(TestHost.MinimalSettings(("BackgroundJobs:Storage", "Redis"), ("BackgroundJobs:Dashboard:Enabled", "true")));

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("BackgroundJobs:Storage 'Redis' is not available", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("BackgroundJobs:Dashboard:Password", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unsafe_sqlite_sync_mode_is_refused()
    {
        var problems = ProblemsWith(TestHost.MinimalSettings(("Storage:SqliteSynchronous", "OFF; DROP TABLE Incidents")));

        Assert.Equal(["Storage:SqliteSynchronous must be NORMAL, FULL or EXTRA."], problems);
    }

    [Fact]
    public void In_production_a_database_that_is_not_named_is_refused_rather_than_created_in_the_working_directory()
    {
        var problems = TestHost.StartupProblemsWith(TestHost.MinimalSettings(), "Production");

        Assert.Equal(["ConnectionStrings:IncidentBot is not set (ConnectionStrings__IncidentBot): in Production the database file must be named, on a persistent volume, e.g. ConnectionStrings__IncidentBot=\"Data Source=/var/lib/incidentbot/incidentbot.db\"."], problems);
    }

    [Fact]
    public void In_production_a_named_database_has_no_problems_and_elsewhere_the_default_file_is_fine()
    {
        Assert.Empty(TestHost.StartupProblemsWith(TestHost.MinimalSettings(("ConnectionStrings:IncidentBot", "Data Source=/var/lib/incidentbot/incidentbot.db")), "Production"));
        Assert.Empty(TestHost.StartupProblemsWith(TestHost.MinimalSettings(), "Development"));
    }

    [Fact]
    public void A_complete_configuration_has_no_problems()
    {
        Assert.Empty(ProblemsWith(TestHost.MinimalSettings()));
    }
}
