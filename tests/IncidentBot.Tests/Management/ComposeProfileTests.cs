using Npgsql;
using YamlDotNet.RepresentationModel;
using static IncidentBot.Tests.Management.DeploymentFiles;

namespace IncidentBot.Tests.Management;

/// <summary>
/// compose.yaml's <c>postgres</c> profile, read as Compose reads it (no Docker here): PostgreSQL with a healthcheck
/// and two bot replicas on it, started only once it is healthy, while a plain <c>docker compose up</c> stays the
/// one SQLite bot it was.
/// </summary>
public sealed class ComposeProfileTests
{
    private const string Profile = "postgres";

    private static readonly string[] Replicas = ["incidentbot-1", "incidentbot-2"];

    [Fact]
    public void The_default_bot_belongs_to_no_profile_and_every_other_service_to_the_postgres_one()
    {
        // Arrange
        var services = ComposeServices().Children.ToDictionary(s => ((YamlScalarNode)s.Key).Value!, s => (YamlMappingNode)s.Value);

        // Act
        var profiles = services.ToDictionary(s => s.Key, s => Find(s.Value, "profiles") is { } p ? Strings(p).ToList() : []);

        // Assert: `docker compose up` starts only the services without a profile.
        Assert.Equal(["incidentbot"], profiles.Where(p => p.Value.Count == 0).Select(p => p.Key));
        Assert.All(profiles.Where(p => p.Key != "incidentbot"), p => Assert.Equal([Profile], p.Value));
        Assert.Equal(["incidentbot", .. Replicas, Profile], services.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_profile_requires_no_variable_the_default_bot_does_not_already_require()
    {
        // Compose interpolates every service, profile or not, before it filters them: a ${VAR:?} of the profile's
        // would stop a plain `docker compose up` that never asked for PostgreSQL.
        var services = ComposeServices().Children.ToDictionary(s => ((YamlScalarNode)s.Key).Value!, s => (YamlMappingNode)s.Value);
        var byDefault = RawEnvironment(services["incidentbot"]).Values.SelectMany(RequiredVariables).ToHashSet();

        // Act
        var byProfile = services.Where(s => s.Key != "incidentbot").SelectMany(s => RawEnvironment(s.Value).Values.SelectMany(RequiredVariables)).ToHashSet();

        // Assert
        Assert.NotEmpty(byDefault);
        Assert.Subset(byDefault, byProfile);
    }

    [Fact]
    public void PostgreSQL_reports_healthy_with_pg_isready_on_a_volume_with_its_password_from_the_environment()
    {
        // Arrange
        var postgres = ComposeService(Profile);

        // Act
        var environment = RawEnvironment(postgres);
        var healthcheck = string.Join(' ', Strings(postgres["healthcheck"]["test"]));

        // Assert
        Assert.StartsWith("postgres:", Scalar(postgres, "image"), StringComparison.Ordinal);
        Assert.Contains($"pg_isready -U {environment["POSTGRES_USER"]} -d {environment["POSTGRES_DB"]}", healthcheck, StringComparison.Ordinal);
        Assert.Equal(["POSTGRES_PASSWORD"], Variables(environment["POSTGRES_PASSWORD"]));
        // Up to 17 the image keeps its cluster here; 18 moved it, and a volume on the old path would be lost.
        Assert.Matches(@"^postgres:1[0-7](\.|$)", Scalar(postgres, "image"));
        Assert.Contains(Strings(postgres["volumes"]), v => v.EndsWith(":/var/lib/postgresql/data", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("incidentbot-1")]
    [InlineData("incidentbot-2")]
    public void A_replica_runs_on_that_PostgreSQL_once_it_is_healthy_with_the_default_bot_s_other_settings(string replica)
    {
        // Arrange
        var service = ComposeService(replica);
        var postgres = RawEnvironment(ComposeService(Profile));
        const string Password = "not-a-real-password";

        // Act
        var environment = ComposeEnvironment(service, new Dictionary<string, string>
        {
            ["POSTGRES_PASSWORD"] = Password, ["SLACK_BOT_TOKEN"] = "xoxb-1", ["SLACK_SIGNING_SECRET"] = "s", ["SLACK_APP_TOKEN"] = "",
            ["INCIDENTS_POSTMORTEM_CHANNEL"] = "C1",
        });
        var connection = new NpgsqlConnectionStringBuilder(environment["ConnectionStrings__IncidentBot"]);

        // Assert
        Assert.Equal("service_healthy", Scalar(service, "depends_on", Profile, "condition"));
        Assert.Equal("PostgreSQL", environment["Storage__Provider"]);
        Assert.Equal((Profile, postgres["POSTGRES_DB"], postgres["POSTGRES_USER"], Password), (connection.Host, connection.Database, connection.Username, connection.Password));
        Assert.All(environment.Keys, key => Assert.Null(BoundConfiguration.Problem(key)));
        // Everything else as the default bot has it, so the two cannot drift apart.
        var others = RawEnvironment(service).Where(s => !s.Key.StartsWith("Storage__", StringComparison.Ordinal) && !s.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal));
        Assert.Equal(RawEnvironment(ComposeService("incidentbot")).OrderBy(s => s.Key), others.OrderBy(s => s.Key));
        Assert.Equal(Scalar(ComposeService("incidentbot"), "image"), Scalar(service, "image"));
    }

    [Fact]
    public void The_replicas_publish_their_Slack_ports_apart_and_their_management_ports_on_loopback_only()
    {
        // Arrange
        var published = Replicas.Select(r => Strings(ComposeService(r)["ports"]).ToList()).ToList();

        // Act
        var slackFacing = published.Select(p => p.Single(port => port.EndsWith(":8080", StringComparison.Ordinal))).ToList();
        var management = published.Select(p => p.Single(port => port.EndsWith(":9090", StringComparison.Ordinal))).ToList();

        // Assert: apart from each other and from the default bot's, so both profiles can even run side by side.
        var hostPorts = slackFacing.Concat(Strings(ComposeService("incidentbot")["ports"])).Select(p => p.Split(':')[^2]).ToList();
        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
        Assert.All(management, port => Assert.StartsWith("127.0.0.1:", port, StringComparison.Ordinal));
        Assert.Equal(management.Count, management.Distinct().Count());
    }

    [Fact]
    public void Every_variable_the_default_bot_sets_is_a_setting_it_reads_and_a_misspelt_one_is_caught()
    {
        // Arrange
        var names = RawEnvironment(ComposeService("incidentbot")).Keys.Concat(DockerfileEnvironment().Keys).ToList();

        // Act
        var problems = names.Select(BoundConfiguration.Problem).OfType<string>().ToList();

        // Assert
        Assert.Empty(problems);
        Assert.NotNull(BoundConfiguration.Problem("Slack__BotTokn"));
        Assert.NotNull(BoundConfiguration.Problem("Storage__Providr"));
        Assert.NotNull(BoundConfiguration.Problem("ConnectionStrings__Incidentbot2"));
    }
}
