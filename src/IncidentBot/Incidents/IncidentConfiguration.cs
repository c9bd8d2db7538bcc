using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IncidentBot.Incidents;

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> incident)
    {
        incident.ToTable("Incidents");
        incident.Property(i => i.Title).HasMaxLength(200);
        incident.Ignore(i => i.Reference);

        // One open incident per channel, enforced by the database (status is stored as text).
        incident.HasIndex(i => i.ChannelId)
            .IsUnique()
            .HasFilter($"\"Status\" IN ('{IncidentStatus.Opening}', '{IncidentStatus.Live}') AND \"ChannelId\" IS NOT NULL")
            .HasDatabaseName("IX_Incidents_OpenChannel");
        incident.HasIndex(i => i.Status);

        // An incident's record goes with it. Declared here, on the incident's side, so that Timeline needs no
        // knowledge of incidents: its rows only carry the id.
        incident.HasMany<TimelineEntry>().WithOne().HasForeignKey(e => e.IncidentId).OnDelete(DeleteBehavior.Cascade);
        incident.HasMany<CapturedMessage>().WithOne().HasForeignKey(m => m.IncidentId).OnDelete(DeleteBehavior.Cascade);
        incident.HasMany<EntryReaction>().WithOne().HasForeignKey(r => r.IncidentId).OnDelete(DeleteBehavior.Cascade);
        incident.HasMany<ChannelBackfill>().WithOne().HasForeignKey(b => b.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The Incidents capability's tables.</summary>
public static class IncidentsTables
{
    extension(IncidentBotDbContext db)
    {
        public DbSet<Incident> Incidents => db.Set<Incident>();
    }
}
