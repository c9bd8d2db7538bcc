using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

[assembly: ModelConfiguration<IncidentBot.BackgroundJobs.Sweep.SweepStateConfiguration, IncidentBot.BackgroundJobs.Sweep.SweepState>]

namespace IncidentBot.BackgroundJobs.Sweep;

/// <summary>How often the sweep has had to queue a piece of unfinished work again, and when it may next.</summary>
public sealed class SweepState
{
    public required string Key { get; set; }

    public int Attempts { get; set; }

    public DateTime FirstQueuedAt { get; set; }

    public DateTime NextAt { get; set; }
}

internal sealed class SweepStateConfiguration : IEntityTypeConfiguration<SweepState>
{
    public void Configure(EntityTypeBuilder<SweepState> state)
    {
        state.ToTable("SweepStates");
        state.HasKey(s => s.Key);
    }
}

/// <summary>The BackgroundJobs capability's table.</summary>
public static class SweepTables
{
    extension(IncidentBotDbContext db)
    {
        public DbSet<SweepState> SweepStates => db.Set<SweepState>();
    }
}
