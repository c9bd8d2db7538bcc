using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

[assembly: ModelConfiguration<IncidentBot.Timeline.TimelineEntryConfiguration, IncidentBot.Timeline.TimelineEntry>]
[assembly: ModelConfiguration<IncidentBot.Timeline.CapturedMessageConfiguration, IncidentBot.Timeline.CapturedMessage>]
[assembly: ModelConfiguration<IncidentBot.Timeline.EntryReactionConfiguration, IncidentBot.Timeline.EntryReaction>]
[assembly: ModelConfiguration<IncidentBot.Timeline.CaptureAcknowledgementConfiguration, IncidentBot.Timeline.CaptureAcknowledgement>]
[assembly: ModelConfiguration<IncidentBot.Timeline.ChannelBackfillConfiguration, IncidentBot.Timeline.ChannelBackfill>]
[assembly: ModelConfiguration<IncidentBot.Timeline.TimelineRevisionConfiguration, IncidentBot.Timeline.TimelineRevision>]

namespace IncidentBot.Timeline;

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> entry)
    {
        entry.ToTable("TimelineEntries");
        entry.HasIndex(e => new { e.IncidentId, e.OccurredAt });

        // A message is in a section once, however many people add the section's emoji.
        entry.HasIndex(e => new { e.IncidentId, e.Section, e.SourceChannelId, e.SourceTs })
            .IsUnique()
            .HasFilter("\"SourceTs\" IS NOT NULL")
            .HasDatabaseName("IX_TimelineEntries_OneEntryPerMessageAndSection");
        entry.HasIndex(e => new { e.SourceChannelId, e.SourceTs });

        // The sweep asks every minute which entries still owe work; only those few are in this index.
        entry.HasIndex(e => e.IncidentId)
            .HasFilter("\"Pending\" OR \"EchoPending\"")
            .HasDatabaseName("IX_TimelineEntries_Unfinished");
    }
}

internal sealed class CapturedMessageConfiguration : IEntityTypeConfiguration<CapturedMessage>
{
    public void Configure(EntityTypeBuilder<CapturedMessage> message)
    {
        message.ToTable("Messages");
        // Slack's identity of a message: (channel, ts).
        message.HasKey(m => new { m.ChannelId, m.Ts });
        message.HasIndex(m => m.IncidentId);
    }
}

internal sealed class EntryReactionConfiguration : IEntityTypeConfiguration<EntryReaction>
{
    public void Configure(EntityTypeBuilder<EntryReaction> reaction)
    {
        reaction.ToTable("EntryReactions");
        reaction.HasKey(r => new { r.IncidentId, r.ChannelId, r.MessageTs, r.Reaction, r.UserId });
    }
}

internal sealed class CaptureAcknowledgementConfiguration : IEntityTypeConfiguration<CaptureAcknowledgement>
{
    public void Configure(EntityTypeBuilder<CaptureAcknowledgement> acknowledgement)
    {
        acknowledgement.ToTable("CaptureAcknowledgements");
        acknowledgement.HasKey(a => new { a.ChannelId, a.Ts });
        acknowledgement.HasIndex(a => a.RequestedAt);
    }
}

internal sealed class ChannelBackfillConfiguration : IEntityTypeConfiguration<ChannelBackfill>
{
    public void Configure(EntityTypeBuilder<ChannelBackfill> backfill)
    {
        backfill.ToTable("ChannelBackfills");
        backfill.HasIndex(b => b.IncidentId);
    }
}

internal sealed class TimelineRevisionConfiguration : IEntityTypeConfiguration<TimelineRevision>
{
    public void Configure(EntityTypeBuilder<TimelineRevision> revision)
    {
        revision.ToTable("TimelineRevisions");
        revision.HasIndex(r => new { r.IncidentId, r.EntryId });
    }
}

/// <summary>The Timeline capability's tables.</summary>
public static class TimelineTables
{
    extension(IncidentBotDbContext db)
    {
        public DbSet<TimelineEntry> TimelineEntries => db.Set<TimelineEntry>();

        public DbSet<CapturedMessage> Messages => db.Set<CapturedMessage>();

        public DbSet<EntryReaction> EntryReactions => db.Set<EntryReaction>();

        public DbSet<ChannelBackfill> ChannelBackfills => db.Set<ChannelBackfill>();

        public DbSet<TimelineRevision> TimelineRevisions => db.Set<TimelineRevision>();

        public DbSet<CaptureAcknowledgement> CaptureAcknowledgements => db.Set<CaptureAcknowledgement>();
    }
}
