namespace IncidentBot.Timeline;

/// <summary>A message posted in a live incident's channel (thread replies included), as the bot received it.</summary>
public sealed class CapturedMessage
{
    public required string ChannelId { get; set; }

    public required string Ts { get; set; }

    public int IncidentId { get; set; }

    public string? ThreadTs { get; set; }

    public string? UserId { get; set; }

    public string Text { get; set; } = "";

    /// <summary>UTC, from the ts.</summary>
    public DateTime PostedAt { get; set; }

    public DateTime? EditedAt { get; set; }
}

/// <summary>One person's section reaction on one message: the entry stays while at least one such reaction does.</summary>
public sealed class EntryReaction
{
    public int IncidentId { get; set; }

    public required string ChannelId { get; set; }

    public required string MessageTs { get; set; }

    public required string Reaction { get; set; }

    public required string UserId { get; set; }
}

/// <summary>
/// A stretch of a channel's history to read back from Slack, because capture was off for it: an incident reopened
/// after being closed (what was posted and marked meanwhile). Done once; until then, the sweep queues it again.
/// </summary>
public sealed class ChannelBackfill
{
    public long Id { get; set; }

    public int IncidentId { get; set; }

    public required string ChannelId { get; set; }

    /// <summary>UTC: messages from here on are read (for their reactions: the incident's declaration)…</summary>
    public DateTime From { get; set; }

    /// <summary>…up to here (the reopen).</summary>
    public DateTime To { get; set; }

    public DateTime? DoneAt { get; set; }
}
