using System.Collections.Immutable;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>
/// The whole state of the fake workspace: users, channels, messages and uploaded content.
/// Every member is thread-safe (the bot calls concurrently); one lock guards everything because
/// the state is tiny and invariants span channels and messages (ts order, thread counters).
/// Reads return immutable snapshots. Split into partial files by concern.
/// </summary>
public sealed partial class FakeWorkspace
{
    private readonly Lock _gate = new();
    private readonly FakeSlackOptions _options;
    private readonly IdGenerator _ids;
    private readonly Dictionary<string, FakeUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChannelState> _channels = new(StringComparer.Ordinal);

    public FakeWorkspace(FakeSlackOptions options, IdGenerator? ids = null)
    {
        _options = options;
        _ids = ids ?? new IdGenerator();
        _users[options.BotUserId] = new FakeUser
        {
            Id = options.BotUserId,
            TeamId = options.TeamId,
            Name = options.BotName,
            RealName = options.BotName,
            IsBot = true,
        };
    }

    public string TeamId => _options.TeamId;

    public string BotUserId => _options.BotUserId;

    internal IdGenerator Ids => _ids;

    private long NowUnixSeconds => _options.Clock.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Per-channel state; the message list is ordered by ts because ts only grows.</summary>
    private sealed class ChannelState(FakeChannel channel)
    {
        public FakeChannel Channel { get; set; } = channel;

        public SortedList<SlackTs, FakeMessage> Messages { get; } = [];

        public SlackTs LastTs { get; set; }
    }

    private ChannelState RequireChannel(string channelId) =>
        _channels.TryGetValue(channelId, out var state) ? state : throw new FakeSlackException("channel_not_found");

    private FakeUser RequireUser(string userId) =>
        _users.TryGetValue(userId, out var user) ? user : throw new FakeSlackException("user_not_found");

    private static ImmutableList<string> AddDistinct(ImmutableList<string> list, string value) =>
        list.Contains(value) ? list : list.Add(value);
}
