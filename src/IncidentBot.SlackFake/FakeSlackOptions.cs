using IncidentBot.SlackFake.WebApi;
using Microsoft.Extensions.Logging;

namespace IncidentBot.SlackFake;

/// <summary>Identity of the fake workspace and app, and the knobs tests turn.</summary>
public sealed class FakeSlackOptions
{
    public string BotToken { get; set; } = "xoxb-fake-bot-token";

    public string SigningSecret { get; set; } = "fake0signing0secret0000000000000";

    /// <summary>The app-level token apps.connections.open accepts (Socket Mode), in the Authorization header only.</summary>
    public string AppToken { get; set; } = "xapp-1-A0FAKEAPP1-1-fake0app0token";

    /// <summary>
    /// How the driver reaches the bot: signed HTTP requests to <see cref="BotBaseUrl"/>, or envelopes over the bot's
    /// Socket Mode connections. The driver's methods are the same either way; raw requests and url_verification are HTTP only.
    /// </summary>
    public BotTransport Transport { get; set; } = BotTransport.Http;

    /// <summary>Slack's cap on an app's open Socket Mode connections; one more is told <c>too_many_websockets</c>.</summary>
    public int MaxSocketConnections { get; set; } = 10;

    /// <summary>
    /// Whether Socket Mode keeps a record of every envelope and ack (<see cref="SocketMode.FakeSocketMode.Envelopes"/>,
    /// <see cref="SocketMode.FakeSocketMode.Acks"/>), which tests read. False keeps their counts only, so that a load
    /// run of millions of envelopes neither grows the fake without bound nor spends its time copying lists.
    /// </summary>
    public bool RecordSocketTraffic { get; set; } = true;

    /// <summary>The deprecated verification token Slack still puts in payloads.</summary>
    public string VerificationToken { get; set; } = "fakeVerificationToken000";

    public string TeamId { get; set; } = "T0FAKE0001";

    public string TeamDomain { get; set; } = "fake-workspace";

    public string TeamName { get; set; } = "Fake Workspace";

    public string AppId { get; set; } = "A0FAKEAPP1";

    public string BotUserId { get; set; } = "U0BOT00001";

    public string BotId { get; set; } = "B0BOT00001";

    public string BotName { get; set; } = "incidentbot";

    /// <summary>Source of every ts, event_time and expiry the fake computes; pass a FakeTimeProvider in tests.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// Where the bot listens (the driver posts to slack/commands, slack/events, slack/interactions under it): the
    /// first of <see cref="BotBaseUrls"/>; setting it leaves that one replica.
    /// </summary>
    public Uri? BotBaseUrl
    {
        get => BotBaseUrls.Count > 0 ? BotBaseUrls[0] : null;
        set => BotBaseUrls = value is null ? [] : [value];
    }

    /// <summary>
    /// The bot's replicas behind a load balancer, when it runs more than one: the fake plays the balancer, sending
    /// each request (command, interaction, event, retry) to the next replica in turn, and a retry never to the
    /// replica whose attempt it repeats, as a balancer that takes a failing backend out of turn would.
    /// </summary>
    public IReadOnlyList<Uri> BotBaseUrls { get; set; } = [];

    /// <summary>Deliver the events Slack sends back for the bot's own actions (its posts, reactions, invites).</summary>
    public bool EchoBotEvents { get; set; } = true;

    /// <summary>Slack's acknowledgement deadline for events, commands and interactions, over HTTP or Socket Mode (real time).</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Delay before each event retry (over Socket Mode, before each redelivery of any unacknowledged envelope).
    /// Slack waits ~0 s, 1 min and 5 min; the fake compresses them (real time) so tests stay fast. The count is
    /// the number of retries (Slack: 3).
    /// </summary>
    public IReadOnlyList<TimeSpan> EventRetryDelays { get; set; } = [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero];

    /// <summary>
    /// Whether an event the bot acknowledged is delivered once more all the same, as Slack does when the 200 reached
    /// it too late (its 3 seconds count on its side of the network): <c>X-Slack-Retry-Num: 1</c>, reason
    /// <c>http_timeout</c>, to another replica when there are several. HTTP only; over Socket Mode lose acks instead
    /// (<see cref="SocketMode.FakeSocketMode.LoseNextAcks"/>).
    /// </summary>
    public AcknowledgedEventRetry RetryAcknowledgedEvents { get; set; } = AcknowledgedEventRetry.Never;

    /// <summary>
    /// chat.postMessage's limit per channel, as Slack enforces it (429 with Retry-After; <see cref="PostingRateLimit.Slack"/>).
    /// Off by default: most tests run on a clock that stands still, where any pace is too fast; a test of pacing turns it on.
    /// </summary>
    public PostingRateLimit? PostingRateLimit { get; set; }

    /// <summary>
    /// Slack's per-method tiers, one bucket per method for the workspace (429 with Retry-After past it;
    /// <see cref="MethodRateLimit.Slack"/> lists Slack's own). None by default, for the same reason as
    /// <see cref="PostingRateLimit"/>; a test of pacing, or a load run, turns them on.
    /// </summary>
    public IReadOnlyDictionary<string, MethodRateLimit> MethodRateLimits { get; set; } = new Dictionary<string, MethodRateLimit>();

    /// <summary>How long a trigger_id stays usable for views.open (by <see cref="Clock"/>).</summary>
    public TimeSpan TriggerIdLifetime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a response_url stays usable (by <see cref="Clock"/>).</summary>
    public TimeSpan ResponseUrlLifetime { get; set; } = TimeSpan.FromMinutes(30);

    public int ResponseUrlMaxUses { get; set; } = 5;

    /// <summary>
    /// The app's shortcuts. When some are listed, the driver runs only those (of their type), as Slack offers only
    /// what the app declares; an empty list (the default) lets tests run any callback_id.
    /// </summary>
    public IReadOnlyList<AppShortcut> Shortcuts { get; set; } = [];

    /// <summary>Minimum level of the fake's own and Kestrel's logs; nothing is written unless a provider is added.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Adds log providers (e.g. console in sandbox mode, xunit output in tests). None by default: tests stay quiet.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}

/// <summary>How Slack delivers to the bot: request URLs, or Socket Mode.</summary>
public enum BotTransport
{
    Http,
    SocketMode,
}

/// <summary>When Slack repeats an event the bot did acknowledge (<see cref="FakeSlackOptions.RetryAcknowledgedEvents"/>).</summary>
public enum AcknowledgedEventRetry
{
    Never,

    /// <summary>Once the first attempt was answered: the retry meets a ledger that already holds the event.</summary>
    AfterTheAnswer,

    /// <summary>
    /// While the first attempt is still being answered (Slack's "almost immediately" after a timeout): two replicas
    /// handle the same event at once.
    /// </summary>
    WhileAnswering,
}
