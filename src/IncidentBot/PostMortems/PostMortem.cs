namespace IncidentBot.PostMortems;

/// <summary>The compiled draft of a closed incident, kept so that every publication and every later read shows the same text.</summary>
public sealed class PostMortem
{
    public int IncidentId { get; set; }

    public required string Markdown { get; set; }

    /// <summary>The draft model the Markdown was rendered from, so the Slack messages can be rebuilt identically after a restart.</summary>
    public required string DraftJson { get; set; }

    public DateTime CompiledAt { get; set; }

    /// <summary>Set once every part is out (each part is a write through the outbox); until then, the sweep queues the publication again.</summary>
    public DateTime? PublishedAt { get; set; }
}
