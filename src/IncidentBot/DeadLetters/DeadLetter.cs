using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

[assembly: ModelConfiguration<IncidentBot.DeadLetters.DeadLetterConfiguration, IncidentBot.DeadLetters.DeadLetter>]

namespace IncidentBot.DeadLetters;

/// <summary>
/// A Slack event whose handling kept failing, acknowledged so that Slack stopped retrying, kept until a replay
/// succeeds. Its raw body (without Slack's verification token) is all a replay needs; nothing here is a secret.
/// </summary>
public sealed class DeadLetter
{
    public long Id { get; set; }

    /// <summary>Slack's <c>event_id</c>: one dead letter per event, however often Slack delivered it.</summary>
    public required string EventId { get; set; }

    /// <summary>The event's type (<c>reaction_added</c>, <c>message</c>…), for people reading the table.</summary>
    public required string Type { get; set; }

    /// <summary>The event callback's JSON as Slack delivered it, less its top-level <c>token</c>.</summary>
    public required string Body { get; set; }

    /// <summary>Where it came from (the HTTP path or the Socket Mode envelope), for logs.</summary>
    public required string Source { get; set; }

    public DateTime FirstFailedAt { get; set; }

    public DateTime LastFailedAt { get; set; }

    /// <summary>The exception type and message of the last failure, the delivery's or a replay's.</summary>
    public required string LastError { get; set; }

    /// <summary>Replays tried so far, none of which succeeded.</summary>
    public int Replays { get; set; }
}

internal sealed class DeadLetterConfiguration : IEntityTypeConfiguration<DeadLetter>
{
    public void Configure(EntityTypeBuilder<DeadLetter> letter)
    {
        letter.ToTable("DeadLetters");
        letter.HasKey(l => l.Id);
        letter.HasIndex(l => l.EventId).IsUnique();
    }
}

/// <summary>The DeadLetters capability's table.</summary>
public static class DeadLetterTables
{
    extension(IncidentBotDbContext db)
    {
        public DbSet<DeadLetter> DeadLetters => db.Set<DeadLetter>();
    }
}
