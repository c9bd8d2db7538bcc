namespace IncidentBot.PostMortems;

/// <summary>
/// One version of a closed incident's compiled draft, kept so that every publication and every later read shows the
/// same text. Version 1 is compiled at the first close; each later one after a change (a reopen and close, or
/// <c>/incident publish</c>) when its text differs from the version before.
/// </summary>
public sealed class PostMortem
{
    public int IncidentId { get; set; }

    /// <summary>1, 2, 3… per incident; rows from before versions existed are version 1.</summary>
    public int Version { get; set; } = 1;

    public required string Markdown { get; set; }

    /// <summary>The draft model the Markdown was rendered from, so the Slack messages can be rebuilt identically after a restart.</summary>
    public required string DraftJson { get; set; }

    /// <summary>When this text was last compiled: a later compile that finds no change moves it on, so a close is known to be answered.</summary>
    public DateTime CompiledAt { get; set; }

    /// <summary>Set once every part is out (each part is a write through the outbox); until then, the sweep queues the publication again.</summary>
    public DateTime? PublishedAt { get; set; }
}
