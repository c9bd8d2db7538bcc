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
