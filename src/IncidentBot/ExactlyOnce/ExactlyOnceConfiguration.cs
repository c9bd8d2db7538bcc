using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

/// <summary>The tables that make inbound and outbound work happen once.</summary>
public static class ExactlyOnceTables
{
    extension(IncidentBotDbContext db)
    {
        public DbSet<ProcessedEvent> ProcessedEvents => db.Set<ProcessedEvent>();
    }
}
