using IncidentBot.SlackFake;
using IncidentBot.SlackFake.WebApi;

namespace IncidentBot.BenchTarget;

/// <summary>
/// The fake Slack as ../shared/bench's load expects the workspace: team T0BENCH, app A0BENCH, channels
/// C0BENCH01…C0BENCH08 with the bot in them, people U0BENCH000…U0BENCH049, and the bench's signing secret.
/// </summary>
internal static class BenchWorkspace
{
    public const int Channels = 8;
    public const int People = 50;

    public static FakeSlackOptions Options(string signingSecret) => new()
    {
        TeamId = "T0BENCH",
        AppId = "A0BENCH",
        SigningSecret = signingSecret,
        // The load says who it is with this deprecated field; the bot ignores it, as it should.
        VerificationToken = "bench-verification-token",
        // Slack's limits, as a real workspace enforces them: at the load's hundreds of pins a second, Slack takes 50
        // reactions.add at once and then one every 1.2 s, and the bot's :eyes: wait their turn (Retry-After).
        PostingRateLimit = PostingRateLimit.Slack,
        MethodRateLimits = MethodRateLimit.Slack,
    };

    public static IReadOnlyList<string> ChannelIds { get; } = [.. Enumerable.Range(1, Channels).Select(i => $"C0BENCH{i:D2}")];

    /// <summary>Seeds the people and the channels; returns the post-mortem channel's id.</summary>
    public static string Seed(FakeSlackServer slack)
    {
        var people = Enumerable.Range(0, People).Select(i => slack.Workspace.AddUser($"U0BENCH{i:D3}", $"bench{i}", $"Bench Person {i}").Id).ToArray();
        foreach (var (id, i) in ChannelIds.Select((id, i) => (id, i)))
        {
            slack.Workspace.CreateChannelWithId(id, $"bench-{i + 1}", false, [slack.Options.BotUserId, .. people]);
        }

        return slack.Workspace.CreateChannel("postmortems", false, slack.Options.BotUserId).Id;
    }
}
