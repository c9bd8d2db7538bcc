namespace IncidentBot.SlackFake.Workspace;

public sealed partial class FakeWorkspace
{
    public IReadOnlyList<FakeChannel> Channels
    {
        get
        {
            lock (_gate)
            {
                return [.. _channels.Values.Select(s => s.Channel)];
            }
        }
    }

    /// <summary>
    /// Seeds an existing channel (no join messages are written: it predates the test). The first
    /// member is recorded as its creator. Throws <see cref="FakeSlackException"/> with Slack's code
    /// for an invalid or taken name or an unknown member.
    /// </summary>
    public FakeChannel CreateChannel(string name, bool isPrivate = false, params string[] memberIds) => SeedChannel(null, name, isPrivate, memberIds);

    /// <summary>
    /// Seeds an existing channel under an id chosen by the caller (a load generator's fixed <c>C0BENCH01</c>, say),
    /// otherwise as <see cref="CreateChannel"/> does.
    /// </summary>
    public FakeChannel CreateChannelWithId(string id, string name, bool isPrivate = false, params string[] memberIds) => SeedChannel(id, name, isPrivate, memberIds);

    /// <summary>conversations.create: the creator is the first member.</summary>
    internal FakeChannel CreateChannelAs(string creatorId, string name, bool isPrivate)
    {
        lock (_gate)
        {
            return AddChannel(name, isPrivate, creatorId, [creatorId]);
        }
    }

    public FakeChannel? FindChannel(string channelId)
    {
        lock (_gate)
        {
            return _channels.GetValueOrDefault(channelId)?.Channel;
        }
    }

    public FakeChannel GetChannel(string channelId) => FindChannel(channelId) ?? throw new FakeSlackException("channel_not_found");

    /// <summary>Looks a channel up by name, with or without a leading '#', as chat.postMessage allows.</summary>
    public FakeChannel? FindChannelByName(string name)
    {
        var bare = name.TrimStart('#');
        lock (_gate)
        {
            return _channels.Values.Select(s => s.Channel).FirstOrDefault(c => c.Name == bare);
        }
    }

    public FakeChannel ArchiveChannel(string channelId) =>
        UpdateChannel(channelId, c => c with { IsArchived = true });

    /// <summary>Makes the channel the workspace's #general (every workspace has one; Slack refuses to archive it).</summary>
    public FakeChannel MakeGeneral(string channelId) =>
        UpdateChannel(channelId, c => c with { IsGeneral = true });

    /// <summary>A human joins (or is added to) a channel. Throws <c>already_in_channel</c> if already a member.</summary>
    public FakeChannel JoinChannel(string userId, string channelId)
    {
        lock (_gate)
        {
            RequireUser(userId);
            var state = RequireChannel(channelId);
            if (state.Channel.HasMember(userId))
            {
                throw new FakeSlackException("already_in_channel");
            }

            state.Channel = state.Channel with { Members = state.Channel.Members.Add(userId) };
            return state.Channel;
        }
    }

    internal FakeChannel AddMembers(string channelId, IReadOnlyCollection<string> userIds) =>
        UpdateChannel(channelId, c => c with { Members = c.Members.AddRange(userIds.Where(u => !c.HasMember(u)).Distinct()) });

    public FakeChannel SetTopic(string channelId, string userId, string topic) =>
        UpdateChannel(channelId, c => c with { Topic = new FakeChannelText(topic, userId, NowUnixSeconds) });

    public FakeChannel SetPurpose(string channelId, string userId, string purpose) =>
        UpdateChannel(channelId, c => c with { Purpose = new FakeChannelText(purpose, userId, NowUnixSeconds) });

    private FakeChannel UpdateChannel(string channelId, Func<FakeChannel, FakeChannel> change)
    {
        lock (_gate)
        {
            var state = RequireChannel(channelId);
            state.Channel = change(state.Channel);
            return state.Channel;
        }
    }

    private FakeChannel SeedChannel(string? id, string name, bool isPrivate, string[] memberIds)
    {
        lock (_gate)
        {
            if (id is not null && _channels.ContainsKey(id))
            {
                throw new ArgumentException($"The fake workspace already has a channel {id}.", nameof(id));
            }

            foreach (var memberId in memberIds)
            {
                RequireUser(memberId);
            }

            var creator = memberIds.Length > 0 ? memberIds[0] : _options.BotUserId;
            return AddChannel(name, isPrivate, creator, [.. memberIds.Distinct()], id);
        }
    }

    private FakeChannel AddChannel(string name, bool isPrivate, string creator, IReadOnlyList<string> members, string? id = null)
    {
        if (ChannelNameRules.Validate(name) is { } error)
        {
            throw new FakeSlackException(error);
        }

        // Archived channels keep their names, so they count as taken too.
        if (_channels.Values.Any(s => s.Channel.Name == name))
        {
            throw new FakeSlackException("name_taken");
        }

        var channel = new FakeChannel
        {
            Id = id ?? _ids.Next(isPrivate ? "G" : "C"),
            Name = name,
            IsPrivate = isPrivate,
            Created = NowUnixSeconds,
            Creator = creator,
            Members = [.. members],
        };
        _channels[channel.Id] = new ChannelState(channel);
        return channel;
    }
}
