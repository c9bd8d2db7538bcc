namespace IncidentBot.PostMortems;

/// <summary>The compiled draft of a closed incident, kept so that every publication and every later read shows the same text.</summary>
public sealed class PostMortem
{
    public int IncidentId { get; set; }

    public required string Markdown { get; set; }

    /// <summary>The draft model the Markdown was rendered from, so the Slack messages can be rebuilt identically after a restart.</summary>
    public required string DraftJson { get; set; }

    public DateTime CompiledAt { get; set; }

    /// <summary>Set once every part is out; until then, start-up queues the publication again.</summary>
    public DateTime? PublishedAt { get; set; }
}

/// <summary>One published piece of a draft (a message, the file, the link, the canvas): recorded the moment it lands, never sent twice.</summary>
public sealed class PublishedPart
{
    public int IncidentId { get; set; }

    public required string Part { get; set; }

    public string? ChannelId { get; set; }

    /// <summary>The message ts, file id or canvas id Slack returned.</summary>
    public string? SlackId { get; set; }

    public DateTime PublishedAt { get; set; }
}
