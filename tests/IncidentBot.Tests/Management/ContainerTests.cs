using System.Net;
using IncidentBot.SlackFake;
using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Management;

/// <summary>
/// The container, as far as a machine without Docker can run it: the app published as the Dockerfile publishes it,
/// started as a non-root user with exactly the environment of the Dockerfile and compose.yaml (the secrets filled in
/// with the fake Slack's, the ports remapped to free ones, /data a temp directory), until /healthz/ready answers 200.
/// </summary>
// The image is Linux, and the test reads the user from /proc.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(PublishedAppCollection.Name)]
public sealed class ContainerTests(PublishedApp app)
{
    [Fact]
    public async Task The_published_app_with_the_compose_environment_runs_as_a_non_root_user_and_becomes_ready()
    {
        // Arrange: the fake Slack and the environment a container would get.
        var data = Directory.CreateTempSubdirectory("incidentbot-data-");
        try
        {
            await using var slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = TimeProvider.System });
            var postmortems = slack.Workspace.CreateChannel("postmortems", false, slack.Options.BotUserId);
            var compose = DeploymentFiles.ComposeService("incidentbot");
            var environment = DeploymentFiles.DockerfileEnvironment();
            Assert.Contains("\nUSER $APP_UID\n", DeploymentFiles.Dockerfile(), StringComparison.Ordinal);
            foreach (var (key, value) in DeploymentFiles.ComposeEnvironment(compose, new Dictionary<string, string>
            {
                ["SLACK_BOT_TOKEN"] = slack.Options.BotToken,
                ["SLACK_SIGNING_SECRET"] = slack.Options.SigningSecret,
                ["SLACK_APP_TOKEN"] = "",
                ["INCIDENTS_POSTMORTEM_CHANNEL"] = postmortems.Id,
            }))
            {
                environment[key] = value;
            }

            // The ports the compose file publishes are the ones the environment listens on; the test moves both.
            var ports = DeploymentFiles.Strings(compose["ports"]).ToList();
            var httpPort = environment["ASPNETCORE_HTTP_PORTS"];
            var managementPort = new Uri(environment["Management__Urls"]).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"{httpPort}:{httpPort}", ports);
            Assert.Contains($"127.0.0.1:{managementPort}:{managementPort}", ports);
            var freeHttp = BotHostOptions.FreePort();
            var freeManagement = BotHostOptions.FreePort();
            environment["ASPNETCORE_HTTP_PORTS"] = $"{freeHttp}";
            environment["Management__Urls"] = environment["Management__Urls"].Replace($":{managementPort}", $":{freeManagement}", StringComparison.Ordinal);
            environment["ConnectionStrings__IncidentBot"] = environment["ConnectionStrings__IncidentBot"].Replace("/data/", data.FullName + "/", StringComparison.Ordinal);
            // Not in compose.yaml: in production the bot talks to slack.com.
            environment["Slack__ApiBaseUrl"] = slack.ApiBaseUrl.ToString();
            environment["HOME"] = data.FullName;

            // As the image's `app` user would: it reads the app and writes only its volume.
            data.UnixFileMode = (UnixFileMode)0b111_111_111;

            // Act
            await using var bot = await app.StartAsync(environment, new Uri($"http://127.0.0.1:{freeManagement}/healthz/ready"));

            // Assert
            Assert.NotEqual("0", PublishedApp.Uid(bot.Id));
            using var http = new HttpClient();
            using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{freeHttp}/healthz/ready"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.True(File.Exists(Path.Combine(data.FullName, "incidentbot.db")), bot.Output);
            Assert.DoesNotContain("Overriding HTTP_PORTS", bot.Output, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
