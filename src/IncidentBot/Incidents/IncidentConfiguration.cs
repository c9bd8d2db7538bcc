using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

[assembly: ModelConfiguration<IncidentBot.Incidents.IncidentConfiguration, IncidentBot.Incidents.Incident>]
[assembly: ModelConfiguration<IncidentBot.Incidents.IncidentRoleConfiguration, IncidentBot.Incidents.IncidentRole>]
[assembly: ModelConfiguration<IncidentBot.Incidents.StatusUpdateConfiguration, IncidentBot.Incidents.StatusUpdate>]

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
        incident.HasMany<IncidentRole>().WithOne().HasForeignKey(r => r.IncidentId).OnDelete(DeleteBehavior.Cascade);
        incident.HasMany<StatusUpdate>().WithOne().HasForeignKey(u => u.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IncidentRoleConfiguration : IEntityTypeConfiguration<IncidentRole>
{
    public void Configure(EntityTypeBuilder<IncidentRole> role)
    {
        role.ToTable("IncidentRoles");
        role.HasKey(r => new { r.IncidentId, r.Role });
        role.Property(r => r.Role).HasMaxLength(30);
        role.Property(r => r.UserId).HasMaxLength(30);
    }
}

internal sealed class StatusUpdateConfiguration : IEntityTypeConfiguration<StatusUpdate>
{
    public void Configure(EntityTypeBuilder<StatusUpdate> update)
    {
        update.ToTable("StatusUpdates");
        update.HasIndex(u => new { u.IncidentId, u.PostedAt });
        update.HasIndex(u => u.Told);
    }
}

/// <summary>The Incidents capability's tables.</summary>
public static class IncidentsTables
{
    extension(IncidentBotDbContext db)
    {
        public DbSet<Incident> Incidents => db.Set<Incident>();

        public DbSet<IncidentRole> IncidentRoles => db.Set<IncidentRole>();

        public DbSet<StatusUpdate> StatusUpdates => db.Set<StatusUpdate>();
    }
}
