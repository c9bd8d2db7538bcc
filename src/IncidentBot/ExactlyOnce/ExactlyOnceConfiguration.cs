using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

[assembly: ModelConfiguration<IncidentBot.ExactlyOnce.ProcessedEventConfiguration, IncidentBot.ExactlyOnce.ProcessedEvent>]
[assembly: ModelConfiguration<IncidentBot.ExactlyOnce.HandledDeliveryConfiguration, IncidentBot.ExactlyOnce.HandledDelivery>]
[assembly: ModelConfiguration<IncidentBot.ExactlyOnce.OutboxEntryConfiguration, IncidentBot.ExactlyOnce.OutboxEntry>]
[assembly: ModelConfiguration<IncidentBot.ExactlyOnce.InstallationConfiguration, IncidentBot.ExactlyOnce.Installation>]

namespace IncidentBot.ExactlyOnce;

internal sealed class ProcessedEventConfiguration : IEntityTypeConfiguration<ProcessedEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedEvent> processed)
    {
        processed.ToTable("ProcessedEvents");
        processed.HasKey(p => new { p.EventId, p.Consumer });
        processed.HasIndex(p => p.ReceivedAt);
    }
}

internal sealed class HandledDeliveryConfiguration : IEntityTypeConfiguration<HandledDelivery>
{
    public void Configure(EntityTypeBuilder<HandledDelivery> delivery)
    {
        delivery.ToTable("HandledDeliveries");
        delivery.HasKey(d => d.Key);
        delivery.HasIndex(d => d.HandledAt);
    }
}

internal sealed class OutboxEntryConfiguration : IEntityTypeConfiguration<OutboxEntry>
{
    public void Configure(EntityTypeBuilder<OutboxEntry> entry)
    {
        entry.ToTable("Outbox");
        entry.HasKey(e => e.Key);
    }
}

internal sealed class InstallationConfiguration : IEntityTypeConfiguration<Installation>
{
    public void Configure(EntityTypeBuilder<Installation> installation)
    {
        installation.ToTable("Installation");
        installation.Property(i => i.Id).ValueGeneratedNever();
        // One row, ever: a second start racing the first cannot make a second id.
        installation.ToTable(t => t.HasCheckConstraint("CK_Installation_SingleRow", $"\"Id\" = {Installation.SingleRow}"));
    }
}

/// <summary>The tables that make inbound and outbound work happen once.</summary>
public static class ExactlyOnceTables
{
    extension(IncidentBotDbContext db)
    {
        public DbSet<ProcessedEvent> ProcessedEvents => db.Set<ProcessedEvent>();

        public DbSet<HandledDelivery> HandledDeliveries => db.Set<HandledDelivery>();

        public DbSet<OutboxEntry> Outbox => db.Set<OutboxEntry>();

        public DbSet<Installation> Installation => db.Set<Installation>();
    }
}
