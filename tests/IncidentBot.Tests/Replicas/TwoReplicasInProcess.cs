using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.BackgroundJobs;
using IncidentBot.Slack.Inbound;
using IncidentBot.SlackFake;
using IncidentBot.Storage;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Replicas;

/// <summary>
/// Two replicas of the bot in this process (two <see cref="BotHost"/>s: each its own container, Kestrel and, unless
/// <c>manualJobs</c>, its own Hangfire server) on one PostgreSQL database and one fake Slack, on one clock. A child
/// process could not share a fake clock; in-process replicas share nothing else but what real replicas share.
/// </summary>
public sealed class TwoReplicasInProcess : IAsyncDisposable
{
    private TwoReplicasInProcess(PostgreSqlTestDatabase database, FakeSlackServer slack, BotHost a, BotHost b, TimeProvider time)
    {
        Database = database;
        Slack = slack;
        A = a;
        B = b;
        Time = time;
    }

    public PostgreSqlTestDatabase Database { get; }

    public FakeSlackServer Slack { get; }

    public BotHost A { get; }

    public BotHost B { get; }

    public IReadOnlyList<BotHost> Both => [A, B];

    public TimeProvider Time { get; }

    /// <summary>
    /// A fresh database, the fake Slack (with #postmortems), and both replicas started at the same moment, as an
    /// orchestrator starts them: their migrations and Hangfire's schema install race on the empty database.
    /// Slack's deliveries go to <see cref="A"/> until a test points them elsewhere (<see cref="DeliverTo"/>).
    /// </summary>
    public static async Task<TwoReplicasInProcess> StartAsync(FakeTimeProvider? time = null, Func<BotHostOptions, BotHostOptions>? configure = null, bool manualJobs = true)
    {
        var database = await PostgreSqlTestDatabase.CreateAsync();
        var clock = (TimeProvider?)time ?? TimeProvider.System;
        var slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions { Clock = clock });
        var postmortems = slack.Workspace.CreateChannel("postmortems", false, slack.Options.BotUserId);

        BotHostOptions Replica()
        {
            var options = BotHostOptions.ConnectedTo(slack) with { Time = time, ManualJobs = manualJobs };
            foreach (var (key, value) in database.Settings)
            {
                options.Settings[key] = value;
            }

            options.Settings["Incidents:PostmortemChannel"] = postmortems.Id;
            return configure?.Invoke(options) ?? options;
        }

        var started = await Task.WhenAll(BotHost.StartAsync(Replica()), BotHost.StartAsync(Replica()));
        slack.ConnectBot(started[0].BaseUrl);
        return new TwoReplicasInProcess(database, slack, started[0], started[1], clock);
    }

    /// <summary>Slack's deliveries (commands, events, the echoes of the bot's own posts) go to <paramref name="replica"/> from now on.</summary>
    public void DeliverTo(BotHost replica) => Slack.ConnectBot(replica.BaseUrl);

    /// <summary>Runs both replicas' queued jobs and waits for Slack's echoes, until neither has anything left.</summary>
    public async Task SettleAsync()
    {
        for (var round = 0; round < 50; round++)
        {
            await Slack.WhenIdleAsync();
            var ran = 0;
            foreach (var replica in Both)
            {
                ran += await replica.Jobs.RunAllAsync();
            }

            ran += await CaptureDrainers.WhenIdleAsync(Both.Select(r => r.Services));
            await Slack.WhenIdleAsync();
            if (ran == 0 && Both.All(r => r.Jobs.Pending == 0))
            {
                return;
            }
        }

        throw new InvalidOperationException("The replicas and the fake Slack did not settle.");
    }

    /// <summary>
    /// Every recurring job the bot declares (<see cref="RecurringJobDeclaration"/>), run on both replicas at the same
    /// moment, each in its own DI scope as Hangfire runs it: as if both replicas' schedulers fired the same occurrence.
    /// A job that fails is reported, not swallowed.
    /// </summary>
    public async Task RunRecurringJobsOnBothAsync()
    {
        var declarations = A.Services.GetServices<RecurringJobDeclaration>().ToList();
        await Task.WhenAll(declarations.SelectMany(d => Both.Select(replica => PerformAsync(replica, d.Job))));
    }

    /// <summary>Runs <paramref name="job"/> as Hangfire would on <paramref name="replica"/>: a scope of its own, the job built from it.</summary>
    public static async Task PerformAsync(BotHost replica, Hangfire.Common.Job job)
    {
        // Off the caller's thread, so that both replicas really run at once.
        await Task.Yield();
        await using var scope = replica.Services.CreateAsyncScope();
        var instance = ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, job.Type);
        if (job.Method.Invoke(instance, [.. job.Args]) is Task task)
        {
            await task;
        }
    }

    /// <summary>
    /// Posts one signed delivery to both replicas at the same moment, as a load balancer that retried it on the other
    /// replica while the first still worked on it; returns each replica's status and body.
    /// </summary>
    public async Task<(int Status, string Body)[]> PostToBothAsync(string path, string body, string contentType) =>
        await Task.WhenAll(Both.Select(async replica =>
        {
            await Task.Yield();
            return await PostToAsync(replica, path, body, contentType);
        }));

    /// <summary>One signed request, as Slack sends it, to one replica.</summary>
    public async Task<(int Status, string Body)> PostToAsync(BotHost replica, string path, string body, string contentType)
    {
        var timestamp = Time.GetUtcNow().ToUnixTimeSeconds();
        var signature = Slack.Driver.Signer.Sign(body, timestamp);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add(IncidentBot.SlackFake.Driver.SlackRequestSigner.SignatureHeader, signature);
        request.Headers.Add(IncidentBot.SlackFake.Driver.SlackRequestSigner.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await replica.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Hands one delivery to both replicas' inbound pipelines at the same moment, below the transport: what Socket
    /// Mode does when Slack sends an envelope again, on a connection of the other replica, while the first replica
    /// still handles it (the same <see cref="InboundDelivery.RedeliveryKey"/>). Returns each replica's result.
    /// </summary>
    internal async Task<InboundResult[]> HandleOnBothAsync(InboundDelivery delivery) =>
        await Task.WhenAll(Both.Select(replica => HandleOnAsync(replica, delivery)));

    /// <summary>Hands <paramref name="delivery"/> to <paramref name="replica"/>'s inbound pipeline, off the caller's thread.</summary>
    internal static async Task<InboundResult> HandleOnAsync(BotHost replica, InboundDelivery delivery)
    {
        await Task.Yield();
        return await replica.Services.GetRequiredService<SlackInbound>().HandleAsync(delivery, CancellationToken.None);
    }

    /// <summary>A slash command as Socket Mode carries it (the fields as a JSON object), under one envelope's redelivery key.</summary>
    internal InboundDelivery CommandEnvelope(string userId, string channelId, string text)
    {
        var options = Slack.Options;
        var fields = new JsonObject
        {
            ["token"] = options.VerificationToken,
            ["team_id"] = options.TeamId,
            ["team_domain"] = options.TeamDomain,
            ["channel_id"] = channelId,
            ["channel_name"] = Slack.Workspace.FindChannel(channelId)?.Name ?? "",
            ["user_id"] = userId,
            ["user_name"] = Slack.Workspace.FindUser(userId)?.Name ?? "",
            ["command"] = "/incident",
            ["text"] = text,
            ["api_app_id"] = options.AppId,
            ["is_enterprise_install"] = "false",
            ["response_url"] = Slack.Driver.IssueResponseUrl(channelId, userId).ToString(),
            ["trigger_id"] = Slack.Driver.IssueTriggerId(userId),
        };
        var envelopeId = Guid.NewGuid().ToString();
        return new InboundDelivery
        {
            Kind = InboundKind.SlashCommand,
            Body = InboundBody.Json(JsonSerializer.SerializeToElement(fields)),
            Source = "envelope " + envelopeId,
            RedeliveryKey = "envelope:" + envelopeId,
        };
    }

    /// <summary>An Events API body (the event_callback envelope) for <paramref name="innerEvent"/>, under <paramref name="eventId"/>.</summary>
    public string EventBody(JsonObject innerEvent, string eventId) => new JsonObject
    {
        ["token"] = Slack.Options.VerificationToken,
        ["team_id"] = Slack.Options.TeamId,
        ["api_app_id"] = Slack.Options.AppId,
        ["event"] = innerEvent,
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = Time.GetUtcNow().ToUnixTimeSeconds(),
    }.ToJsonString();

    /// <summary>Reads the shared database as it is now.</summary>
    public async Task<T> QueryAsync<T>(Func<IncidentBotDbContext, Task<T>> query)
    {
        await using var scope = A.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Both.Select(r => r.DisposeAsync().AsTask()));
        await Slack.DisposeAsync();
        await Database.DisposeAsync();
    }
}
