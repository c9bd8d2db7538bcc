using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Http;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.SocketMode;
using IncidentBot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IncidentBot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// The Slack adapter: options, request verification, the dispatcher, the Web API client with its resilience,
    /// and the bot's identity. Returns the builder that registers handlers; calling it again adds to the same registry.
    /// </summary>
    public static SlackBuilder AddSlack(this IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(SlackHandlerRegistry))?.ImplementationInstance;
        if (existing is SlackHandlerRegistry registry)
        {
            return new SlackBuilder(services, registry);
        }

        registry = new SlackHandlerRegistry();
        services.AddSingleton(registry);

        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).PostConfigure(TrimSecrets).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SlackApiResilienceOptions>().BindConfiguration(SlackApiResilienceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // Inbound: verify, then one pipeline for both transports: parse, de-duplicate, dispatch, decide the ack.
        // The durable delivery ledger is the host's to register; by default nothing is remembered across restarts.
        services.AddSingleton<SlackRequestVerifier>();
        services.AddSingleton<SlackSignatureFilter>();
        services.AddSingleton<RedeliveryGuard>();
        services.AddSingleton<SlackInbound>();
        services.AddSingleton<InboundMetrics>();
        services.AddSingleton<CommandMetrics>();
        services.AddSingleton<SlackApiMetrics>();
        services.AddSingleton<ChannelPostPacer>();
        services.AddSingleton<DeadLetterCounter>();
        services.TryAddScoped<ISlackDeliveryLedger, NoDeliveryLedger>();
        services.AddScoped<SlackRequestContext>();
        services.AddScoped<SlackDispatcher>();

        // Outbound: the Web API behind one resilience pipeline; Polly's timeouts are ours, not HttpClient's. The
        // transports log what matters themselves: the factory's own loggers opened a log scope on every call (a share
        // of each pin's CPU), and would write a response_url, which is a credential, at Information.
        services.AddHttpClient<SlackApiTransport>(http => http.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers().AddSlackResilience();
        services.AddTransient<ISlackApiClient, SlackApiClient>();
        services.AddTransient<IAppsApi, AppsApi>();
        services.AddTransient(provider => new OwnPosts(provider.GetRequiredService<SlackBotIdentity>(), provider.GetRequiredService<ISlackApiClient>().Auth));
        services.AddSingleton<ResponseUrlPolicy>();
        services.AddHttpClient<IResponseUrlClient, ResponseUrlClient>(http => http.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();

        // Who we are, learnt at start; /healthz is ready once we know.
        services.AddSingleton<SlackBotIdentity>();
        services.AddHostedService<SlackIdentityService>();
        services.AddHealthChecks().AddCheck<SlackReadyHealthCheck>("slack");

        // Socket Mode, when Slack:AppToken is set: the same dispatcher, fed over WebSockets instead of HTTP.
        services.AddSlackSocketMode();

        return new SlackBuilder(services, registry);
    }

    /// <summary>
    /// A secret read from a mounted file usually ends in a newline, which no Slack credential contains: kept, it would
    /// make every signature a mismatch and every API call invalid_auth.
    /// </summary>
    private static void TrimSecrets(SlackOptions options)
    {
        options.SigningSecret = options.SigningSecret.Trim();
        options.BotToken = options.BotToken.Trim();
        options.AppToken = options.AppToken?.Trim();
    }
}

internal sealed class SlackReadyHealthCheck(SlackBotIdentity identity) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(identity.IsKnown
            ? HealthCheckResult.Healthy($"Connected as {identity.UserId}")
            : HealthCheckResult.Unhealthy("Waiting for Slack auth.test to succeed"));
}
