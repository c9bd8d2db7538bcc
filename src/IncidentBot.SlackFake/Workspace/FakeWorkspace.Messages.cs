using System.Collections.Immutable;
using System.Text.Json;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>The result of an edit: Slack's message_changed event needs both versions and the edit's own ts.</summary>
public sealed record MessageEdit(FakeMessage Previous, FakeMessage Current, string EditTs);

/// <summary>The result of a delete: message_deleted carries the removed message and a new ts for the deletion.</summary>
public sealed record MessageDeletion(FakeMessage Deleted, string DeletionTs);

public sealed partial class FakeWorkspace
{
    /// <summary>Every stored message of the channel, replies included, oldest first.</summary>
    public IReadOnlyList<FakeMessage> Messages(string channelId)
    {
        lock (_gate)
        {
            return [.. RequireChannel(channelId).Messages.Values];
        }
    }

    public FakeMessage? FindMessage(string channelId, string ts)
    {
        if (!SlackTs.TryParse(ts, out var key))
        {
            return null;
        }

        lock (_gate)
        {
            return _channels.GetValueOrDefault(channelId)?.Messages.GetValueOrDefault(key);
        }
    }

    public FakeMessage GetMessage(string channelId, string ts) =>
        FindMessage(channelId, ts) ?? throw new FakeSlackException("message_not_found");

    /// <summary>A thread as conversations.replies sees it: parent, then replies oldest first. <paramref name="ts"/> may be any message of the thread.</summary>
    public IReadOnlyList<FakeMessage> Thread(string channelId, string ts)
    {
        lock (_gate)
        {
            var state = RequireChannel(channelId);
            var message = FindLocked(state, ts) ?? throw new FakeSlackException("thread_not_found");
            var parentTs = message.IsReply ? message.ThreadTs! : message.Ts;
            return [.. state.Messages.Values.Where(m => m.Ts == parentTs || m.ThreadTs == parentTs)];
        }
    }

    /// <summary>Reserves the next ts of a channel for something that is not a stored message (ephemerals, edits, event_ts).</summary>
    public string NextTs(string channelId)
    {
        lock (_gate)
        {
            return NextTsLocked(RequireChannel(channelId)).ToString();
        }
    }

    /// <summary>A human posts. The user must be a member and the channel not archived, as in Slack.</summary>
    public FakeMessage PostMessage(string userId, string channelId, string text, string? threadTs = null)
    {
        lock (_gate)
        {
            RequireUser(userId);
            var channel = RequireChannel(channelId).Channel;
            if (channel.IsArchived)
            {
                throw new FakeSlackException("is_archived");
            }

            if (!channel.HasMember(userId))
            {
                throw new FakeSlackException("not_in_channel");
            }

            return AppendLocked(channelId, ts => new FakeMessage
            {
                ChannelId = channelId,
                Ts = ts,
                User = userId,
                Text = text,
                ThreadTs = threadTs,
                ClientMsgId = Guid.NewGuid().ToString(),
                Team = _options.TeamId,
                Blocks = RichTextBlock(text),
            });
        }
    }

    /// <summary>
    /// Stores a new message; <paramref name="create"/> receives the ts assigned to it. A reply
    /// (ThreadTs set) must point at an existing message, and a reply's ts is resolved to its parent.
    /// </summary>
    internal FakeMessage Append(string channelId, Func<string, FakeMessage> create)
    {
        lock (_gate)
        {
            return AppendLocked(channelId, create);
        }
    }

    /// <summary>A human edits their own message.</summary>
    public MessageEdit EditMessage(string userId, string channelId, string ts, string newText) =>
        ReplaceMessage(channelId, ts, userId, m => m.User == userId
            ? m with { Text = newText, Blocks = m.Blocks is null ? null : RichTextBlock(newText) }
            : throw new FakeSlackException("cant_update_message"));

    /// <summary>Changes a message and marks it edited by <paramref name="editorId"/> (as chat.update and human edits do).</summary>
    internal MessageEdit ReplaceMessage(string channelId, string ts, string editorId, Func<FakeMessage, FakeMessage> change)
    {
        lock (_gate)
        {
            var state = RequireChannel(channelId);
            var previous = FindLocked(state, ts) ?? throw new FakeSlackException("message_not_found");
            var editTs = NextTsLocked(state).ToString();
            var current = change(previous) with { Edited = new FakeEdit(editorId, editTs) };
            state.Messages[previous.SortKey] = current;
            return new MessageEdit(previous, current, editTs);
        }
    }

    /// <summary>
    /// Deletes a message. A parent with replies stays as Slack's "tombstone" so the thread survives.
    /// </summary>
    public MessageDeletion DeleteMessage(string channelId, string ts)
    {
        lock (_gate)
        {
            var state = RequireChannel(channelId);
            var message = FindLocked(state, ts) ?? throw new FakeSlackException("message_not_found");
            var deletionTs = NextTsLocked(state).ToString();
            if (message.ReplyCount > 0 && !message.IsReply)
            {
                state.Messages[message.SortKey] = message with
                {
                    Subtype = "tombstone",
                    Text = "This message was deleted.",
                    User = "USLACKBOT",
                    Blocks = null,
                    Files = [],
                    Reactions = [],
                };
            }
            else
            {
                state.Messages.Remove(message.SortKey);
                if (message.IsReply)
                {
                    RecountReplies(state, message.ThreadTs!);
                }
            }

            return new MessageDeletion(message, deletionTs);
        }
    }

    public FakeMessage AddReaction(string userId, string channelId, string ts, string name)
    {
        ValidateReactionName(name);
        return ChangeMessage(channelId, ts, m =>
        {
            var existing = m.Reactions.FirstOrDefault(r => r.Name == name);
            if (existing is null)
            {
                return m with { Reactions = m.Reactions.Add(new FakeReaction(name, [userId])) };
            }

            return existing.Users.Contains(userId)
                ? throw new FakeSlackException("already_reacted")
                : m with { Reactions = m.Reactions.Replace(existing, existing with { Users = existing.Users.Add(userId) }) };
        });
    }

    public FakeMessage RemoveReaction(string userId, string channelId, string ts, string name)
    {
        ValidateReactionName(name);
        return ChangeMessage(channelId, ts, m =>
        {
            var existing = m.Reactions.FirstOrDefault(r => r.Name == name && r.Users.Contains(userId))
                ?? throw new FakeSlackException("no_reaction");
            var users = existing.Users.Remove(userId);
            return m with
            {
                Reactions = users.IsEmpty ? m.Reactions.Remove(existing) : m.Reactions.Replace(existing, existing with { Users = users }),
            };
        });
    }

    internal FakeMessage Pin(string channelId, string ts) =>
        ChangeMessage(channelId, ts, m => m.IsPinned ? throw new FakeSlackException("already_pinned") : m with { IsPinned = true });

    private FakeMessage ChangeMessage(string channelId, string ts, Func<FakeMessage, FakeMessage> change)
    {
        lock (_gate)
        {
            var state = RequireChannel(channelId);
            var message = FindLocked(state, ts) ?? throw new FakeSlackException("message_not_found");
            var changed = change(message);
            state.Messages[message.SortKey] = changed;
            return changed;
        }
    }

    private FakeMessage AppendLocked(string channelId, Func<string, FakeMessage> create)
    {
        var state = RequireChannel(channelId);
        var ts = NextTsLocked(state);
        var message = create(ts.ToString());
        if (message.ThreadTs is { } threadTs)
        {
            var parent = FindLocked(state, threadTs) ?? throw new FakeSlackException("thread_not_found");
            if (parent.IsReply)
            {
                parent = FindLocked(state, parent.ThreadTs!)!;
            }

            message = message with { ThreadTs = parent.Ts, ParentUserId = parent.User };
            state.Messages.Add(ts, message);
            RecountReplies(state, parent.Ts);
        }
        else
        {
            state.Messages.Add(ts, message);
        }

        return message;
    }

    /// <summary>Keeps a parent's reply_count, reply_users and latest_reply in step with its replies.</summary>
    private static void RecountReplies(ChannelState state, string parentTs)
    {
        var parentKey = SlackTs.Parse(parentTs);
        if (!state.Messages.TryGetValue(parentKey, out var parent))
        {
            return;
        }

        var replies = state.Messages.Values.Where(m => m.IsReply && m.ThreadTs == parentTs).ToList();
        var replyUsers = ImmutableList<string>.Empty;
        foreach (var reply in replies.Where(r => r.User is not null))
        {
            replyUsers = AddDistinct(replyUsers, reply.User!);
        }

        state.Messages[parentKey] = parent with
        {
            ThreadTs = replies.Count > 0 ? parent.Ts : null,
            ReplyCount = replies.Count,
            ReplyUsers = replyUsers,
            LatestReply = replies.Count > 0 ? replies[^1].Ts : null,
        };
    }

    /// <summary>Unique and strictly increasing per channel even when the clock stands still.</summary>
    private SlackTs NextTsLocked(ChannelState state)
    {
        var candidate = SlackTs.FromDateTimeOffset(_options.Clock.GetUtcNow());
        if (candidate <= state.LastTs)
        {
            candidate = state.LastTs.NextMicrosecond();
        }

        state.LastTs = candidate;
        return candidate;
    }

    private static FakeMessage? FindLocked(ChannelState state, string ts) =>
        SlackTs.TryParse(ts, out var key) ? state.Messages.GetValueOrDefault(key) : null;

    /// <summary>An emoji name without colons, except Slack's own skin-tone suffix (<c>+1::skin-tone-2</c>).</summary>
    private static void ValidateReactionName(string name)
    {
        var tone = name.IndexOf("::skin-tone-", StringComparison.Ordinal);
        var baseName = tone < 0 ? name : name[..tone];
        var toneOk = tone < 0 || name[(tone + "::skin-tone-".Length)..] is "2" or "3" or "4" or "5" or "6";
        if (string.IsNullOrWhiteSpace(baseName) || baseName.Contains(':', StringComparison.Ordinal) || !toneOk)
        {
            throw new FakeSlackException("invalid_name");
        }
    }

    /// <summary>Slack's clients attach a rich_text block mirroring what a human typed.</summary>
    private static JsonElement RichTextBlock(string text)
    {
        var block = new[]
        {
            new
            {
                type = "rich_text",
                block_id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..5],
                elements = new[] { new { type = "rich_text_section", elements = new[] { new { type = "text", text } } } },
            },
        };
        return JsonSerializer.SerializeToElement(block);
    }
}
