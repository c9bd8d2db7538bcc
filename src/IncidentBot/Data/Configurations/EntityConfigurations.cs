using IncidentBot.Incidents;
using IncidentBot.People;
using IncidentBot.PostMortems;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IncidentBot.Data.Configurations;

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> incident)
    {
        incident.Property(i => i.Title).HasMaxLength(200);
        incident.Ignore(i => i.Reference);

        // One open incident per channel, enforced by the database (status is stored as text).
        incident.HasIndex(i => i.ChannelId)
            .IsUnique()
            .HasFilter($"\"Status\" IN ('{IncidentStatus.Opening}', '{IncidentStatus.Live}') AND \"ChannelId\" IS NOT NULL")
            .HasDatabaseName("IX_Incidents_OpenChannel");
        incident.HasIndex(i => i.Status);
    }
}

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> entry)
    {
        entry.HasIndex(e => new { e.IncidentId, e.OccurredAt });

        // A message is in a section once, however many people add the section's emoji.
        entry.HasIndex(e => new { e.IncidentId, e.Section, e.SourceChannelId, e.SourceTs })
            .IsUnique()
            .HasFilter("\"SourceTs\" IS NOT NULL")
            .HasDatabaseName("IX_TimelineEntries_OneEntryPerMessageAndSection");
        entry.HasIndex(e => new { e.SourceChannelId, e.SourceTs });
        entry.HasOne<Incident>().WithMany().HasForeignKey(e => e.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CapturedMessageConfiguration : IEntityTypeConfiguration<CapturedMessage>
{
    public void Configure(EntityTypeBuilder<CapturedMessage> message)
    {
        // Slack's identity of a message: (channel, ts).
        message.HasKey(m => new { m.ChannelId, m.Ts });
        message.HasIndex(m => m.IncidentId);
        message.HasOne<Incident>().WithMany().HasForeignKey(m => m.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EntryReactionConfiguration : IEntityTypeConfiguration<EntryReaction>
{
    public void Configure(EntityTypeBuilder<EntryReaction> reaction)
    {
        reaction.HasKey(r => new { r.IncidentId, r.ChannelId, r.MessageTs, r.Reaction, r.UserId });
        reaction.HasOne<Incident>().WithMany().HasForeignKey(r => r.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> person) => person.HasKey(p => p.UserId);
}

internal sealed class ProcessedEventConfiguration : IEntityTypeConfiguration<ProcessedEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedEvent> processed)
    {
        processed.HasKey(p => new { p.EventId, p.Consumer });
        processed.HasIndex(p => p.ReceivedAt);
    }
}

internal sealed class PostMortemConfiguration : IEntityTypeConfiguration<PostMortem>
{
    public void Configure(EntityTypeBuilder<PostMortem> postMortem)
    {
        postMortem.HasKey(p => p.IncidentId);
        postMortem.HasOne<Incident>().WithOne().HasForeignKey<PostMortem>(p => p.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PublishedPartConfiguration : IEntityTypeConfiguration<PublishedPart>
{
    public void Configure(EntityTypeBuilder<PublishedPart> part)
    {
        part.HasKey(p => new { p.IncidentId, p.Part });
        part.HasOne<Incident>().WithMany().HasForeignKey(p => p.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NudgeConfiguration : IEntityTypeConfiguration<Nudge>
{
    public void Configure(EntityTypeBuilder<Nudge> nudge)
    {
        // One nudge per quiet period: the period's start is part of the key.
        nudge.HasKey(n => new { n.IncidentId, n.QuietSince });
        nudge.HasOne<Incident>().WithMany().HasForeignKey(n => n.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}
