using System.Globalization;
using System.Net;
using IncidentBot.SlackFake;
using IncidentBot.Tests.Infrastructure;
using Npgsql;
using YamlDotNet.RepresentationModel;
using static IncidentBot.Tests.Management.DeploymentFiles;

namespace IncidentBot.Tests.Management;

/// <summary>
/// deploy/kubernetes, read as the cluster reads it (no kubectl here), and then run: two replicas of the published app
/// with exactly the Deployment's environment (the Secret's values the test's own) on one PostgreSQL database, both
/// started at once, each ready on the port and path its probes name.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(PublishedAppCollection.Name)]
public sealed class KubernetesExampleTests(PublishedApp app)
{
    private static readonly ILookup<string, YamlMappingNode> Manifest = Kubernetes("incidentbot.yaml");

    private static YamlMappingNode Deployment => Manifest["Deployment"].Single();

    private static YamlMappingNode Pod => (YamlMappingNode)Deployment["spec"]["template"]["spec"];

    private static YamlMappingNode Container => Items(Pod["containers"]).Single();

    private static YamlMappingNode Secret => Kubernetes("secret.yaml")["Secret"].Single();

    [Fact]
    public void Two_replicas_are_selected_by_the_Service_and_the_disruption_budget_which_keeps_one_up()
    {
        // Arrange
        var labels = (YamlMappingNode)Deployment["spec"]["template"]["metadata"]["labels"];
        var replicas = int.Parse(Scalar(Deployment, "spec", "replicas"), CultureInfo.InvariantCulture);

        // Act
        var selectors = new[]
        {
            (YamlMappingNode)Deployment["spec"]["selector"]["matchLabels"],
            (YamlMappingNode)Manifest["Service"].Single()["spec"]["selector"],
            (YamlMappingNode)Manifest["PodDisruptionBudget"].Single()["spec"]["selector"]["matchLabels"],
        };

        // Assert
        Assert.True(replicas >= 2, $"replicas: {replicas}");
        Assert.All(selectors, selector => Assert.All(selector.Children, label => Assert.Equal(label.Value, labels[label.Key])));
        var minAvailable = int.Parse(Scalar(Manifest["PodDisruptionBudget"].Single(), "spec", "minAvailable"), CultureInfo.InvariantCulture);
        Assert.InRange(minAvailable, 1, replicas - 1);
        Assert.Equal("0", Scalar(Deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"));
    }

    [Fact]
    public void Every_variable_is_a_setting_the_bot_reads_the_storage_is_PostgreSQL_and_the_secrets_come_from_the_Secret()
    {
        // Arrange
        var env = Items(Container["env"]).ToList();
        var secretKeys = ((YamlMappingNode)Secret["stringData"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();

        // Act
        var references = env.Where(e => Find(e, "valueFrom") is not null)
            .ToDictionary(e => Scalar(e, "name"), e => (Name: Scalar(e, "valueFrom", "secretKeyRef", "name"), Key: Scalar(e, "valueFrom", "secretKeyRef", "key")));

        // Assert
        Assert.All(env, e => Assert.Null(BoundConfiguration.Problem(Scalar(e, "name"))));
        Assert.Equal("PostgreSQL", Scalar(env.Single(e => Scalar(e, "name") == "Storage__Provider"), "value"));
        Assert.Equal(["ConnectionStrings__IncidentBot", "Slack__AppToken", "Slack__BotToken", "Slack__SigningSecret"], references.Keys.Order(StringComparer.Ordinal));
        Assert.All(references.Values, r => Assert.Equal(Scalar(Secret, "metadata", "name"), r.Name));
        Assert.Equal(secretKeys, references.Values.Select(r => r.Key).ToHashSet());
        var template = new NpgsqlConnectionStringBuilder(Scalar(Secret, "stringData", "connection-string"));
        Assert.False(string.IsNullOrEmpty(template.Host));
    }

    [Fact]
    public void The_probes_and_the_Service_use_the_image_s_Slack_facing_port_and_the_management_port_is_Management_Urls()
    {
        // Arrange
        var ports = Items(Container["ports"]).ToDictionary(p => Scalar(p, "name"), p => Scalar(p, "containerPort"));

        // Act
        var probes = new[] { "startupProbe", "livenessProbe", "readinessProbe" }.ToDictionary(p => p, p => (Path: Scalar(Container, p, "httpGet", "path"), Port: ports[Scalar(Container, p, "httpGet", "port")]));
        var service = ports[Scalar(Items(Manifest["Service"].Single()["spec"]["ports"]).Single(), "targetPort")];

        // Assert: the Slack-facing port serves /slack/* and /healthz/*; the management port everything but /slack/*.
        var slackFacing = DockerfileEnvironment()["ASPNETCORE_HTTP_PORTS"];
        Assert.Equal(("/healthz/live", slackFacing), probes["startupProbe"]);
        Assert.Equal(("/healthz/live", slackFacing), probes["livenessProbe"]);
        Assert.Equal(("/healthz/ready", slackFacing), probes["readinessProbe"]);
        Assert.Equal(slackFacing, service);
        var management = new Uri(Scalar(Items(Container["env"]).Single(e => Scalar(e, "name") == "Management__Urls"), "value")).Port;
        Assert.Equal(management.ToString(CultureInfo.InvariantCulture), ports["management"]);
    }

    [Fact]
    public void The_pod_runs_as_the_image_s_non_root_user_without_privileges_and_with_resources()
    {
        // Arrange
        var pod = (YamlMappingNode)Pod["securityContext"];
        var container = (YamlMappingNode)Container["securityContext"];

        // Act
        var uid = Scalar(pod, "runAsUser");

        // Assert: the image's USER is $APP_UID, 1654 in the .NET images.
        Assert.Contains("\nUSER $APP_UID\n", Dockerfile(), StringComparison.Ordinal);
        Assert.Equal(("true", "1654"), (Scalar(pod, "runAsNonRoot"), uid));
        Assert.Equal("false", Scalar(container, "allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], Strings(container["capabilities"]["drop"]));
        Assert.NotEmpty(Scalar(Container, "resources", "requests", "memory"));
        Assert.NotEmpty(Scalar(Container, "resources", "limits", "memory"));
    }

    [SkippableFact]
    public async Task Two_replicas_with_the_Deployment_s_environment_start_at_once_on_one_PostgreSQL_and_both_become_ready()
    {
        // Arrange: the fake Slack, one database, and the Secret's keys with the test's values.
        await using var database = await PostgreSqlTestDatabase.CreateAsync();
        await using var slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = TimeProvider.System });
        var postmortems = slack.Workspace.CreateChannel("postmortems", false, slack.Options.BotUserId);
        var secret = new Dictionary<string, string>
        {
            ["bot-token"] = slack.Options.BotToken,
            ["signing-secret"] = slack.Options.SigningSecret,
            ["connection-string"] = database.ConnectionString,
            ["app-token"] = "",
        };
        Assert.Equal(((YamlMappingNode)Secret["stringData"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Order(), secret.Keys.Order());
        var home = Directory.CreateTempSubdirectory("incidentbot-home-");
        home.UnixFileMode = (UnixFileMode)0b111_111_111;
        try
        {
            var replicas = Enumerable.Range(0, 2).Select(_ => Replica(secret, postmortems.Id, slack.ApiBaseUrl, home.FullName)).ToList();

            // Act: both at once, so that they race for the schema as two pods of a new Deployment do.
            var starting = replicas.Select(r => app.StartAsync(r.Environment, r.Probe("readinessProbe"))).ToList();
            try
            {
                var started = await Task.WhenAll(starting);

                // Assert
                using var http = new HttpClient();
                foreach (var (replica, bot) in replicas.Zip(started))
                {
                    Assert.NotEqual("0", PublishedApp.Uid(bot.Id));
                    foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
                    {
                        using var response = await http.GetAsync(replica.Probe(probe));
                        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{probe} {replica.Probe(probe)}: {(int)response.StatusCode}\n{bot.Output}");
                    }
                }

                await using var connection = new NpgsqlConnection(database.ConnectionString);
                await connection.OpenAsync();
                await using var migrations = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", connection);
                Assert.True((long)(await migrations.ExecuteScalarAsync())! > 0);
                await using var hangfire = new NpgsqlCommand("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'hangfire'", connection);
                Assert.Equal(1L, await hangfire.ExecuteScalarAsync());
                Assert.Empty(Directory.GetFiles(app.Folder, "*.db"));
            }
            finally
            {
                foreach (var bot in starting.Where(t => t.IsCompletedSuccessfully))
                {
                    await bot.Result.DisposeAsync();
                }
            }
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    /// <summary>One pod's environment (the image's, then the Deployment's), its ports moved to free ones on loopback.</summary>
    private static ReplicaUnderTest Replica(IReadOnlyDictionary<string, string> secret, string postmortemChannel, Uri slackApi, string home)
    {
        var environment = DockerfileEnvironment();
        foreach (var e in Items(Container["env"]))
        {
            environment[Scalar(e, "name")] = Find(e, "valueFrom") is null ? Scalar(e, "value") : secret[Scalar(e, "valueFrom", "secretKeyRef", "key")];
        }

        var ports = Items(Container["ports"]).ToDictionary(p => Scalar(p, "name"), p => Scalar(p, "containerPort"));
        var moved = ports.Values.ToDictionary(p => p, _ => BotHostOptions.FreePort().ToString(CultureInfo.InvariantCulture));
        environment["ASPNETCORE_HTTP_PORTS"] = moved[environment["ASPNETCORE_HTTP_PORTS"]];
        var management = new Uri(environment["Management__Urls"]).Port.ToString(CultureInfo.InvariantCulture);
        environment["Management__Urls"] = environment["Management__Urls"].Replace($":{management}", $":{moved[management]}", StringComparison.Ordinal);
        // The channel id is the operator's to fill in, and the bot talks to slack.com in a cluster: here, the fake.
        environment["Incidents__PostmortemChannel"] = postmortemChannel;
        environment["Slack__ApiBaseUrl"] = slackApi.ToString();
        environment["HOME"] = home;
        return new ReplicaUnderTest(environment, probe =>
            new Uri($"http://127.0.0.1:{moved[ports[Scalar(Container, probe, "httpGet", "port")]]}{Scalar(Container, probe, "httpGet", "path")}"));
    }

    private sealed record ReplicaUnderTest(Dictionary<string, string> Environment, Func<string, Uri> Probe);
}
