using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.Json;

/// <summary>
/// The explicit map from Slack's <c>type</c> (and, for messages, <c>subtype</c>) to our payload classes.
/// Adding an event is one line here; there is deliberately no assembly scanning.
/// </summary>
public static class SlackEventTypes
{
    public static IReadOnlyDictionary<string, Type> Events { get; } = new Dictionary<string, Type>
    {
        ["reaction_added"] = typeof(ReactionAdded),
        ["reaction_removed"] = typeof(ReactionRemoved),
        ["app_mention"] = typeof(AppMention),
        ["member_joined_channel"] = typeof(MemberJoinedChannel),
        ["app_home_opened"] = typeof(AppHomeOpened),
    };

    /// <summary>Message subtypes; the empty key is a plain message (no subtype).</summary>
    public static IReadOnlyDictionary<string, Type> MessageSubtypes { get; } = new Dictionary<string, Type>
    {
        [""] = typeof(MessageEvent),
        ["message_changed"] = typeof(MessageChanged),
        ["message_deleted"] = typeof(MessageDeleted),
        ["bot_message"] = typeof(BotMessage),
        ["thread_broadcast"] = typeof(ThreadBroadcast),
        ["channel_join"] = typeof(ChannelJoin),
        ["file_share"] = typeof(FileShareMessage),
    };

    public static IReadOnlyDictionary<string, Type> Interactions { get; } = new Dictionary<string, Type>
    {
        ["block_actions"] = typeof(BlockActions),
        ["view_submission"] = typeof(ViewSubmission),
        ["shortcut"] = typeof(GlobalShortcut),
        ["message_action"] = typeof(MessageShortcut),
    };

    /// <summary>The class for an inner event, or <see cref="UnknownEvent"/> when we do not handle it.</summary>
    public static Type Resolve(string? type, string? subtype)
    {
        if (type == "message")
        {
            return MessageSubtypes.TryGetValue(subtype ?? "", out var message) ? message : typeof(UnknownEvent);
        }

        return type is not null && Events.TryGetValue(type, out var known) ? known : typeof(UnknownEvent);
    }
}
