using IncidentBot.Data.Configurations;
using IncidentBot.Incidents;
using IncidentBot.People;
using IncidentBot.PostMortems;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Data;

public sealed class IncidentBotDbContext(DbContextOptions<IncidentBotDbContext> options) : DbContext(options)
{
    public DbSet<Incident> Incidents => Set<Incident>();

    public DbSet<TimelineEntry> TimelineEntries => Set<TimelineEntry>();

    public DbSet<CapturedMessage> Messages => Set<CapturedMessage>();

    public DbSet<EntryReaction> EntryReactions => Set<EntryReaction>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<ProcessedEvent> ProcessedEvents => Set<ProcessedEvent>();

    public DbSet<PostMortem> PostMortems => Set<PostMortem>();

    public DbSet<PublishedPart> PublishedParts => Set<PublishedPart>();

    public DbSet<Nudge> Nudges => Set<Nudge>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new IncidentConfiguration());
        modelBuilder.ApplyConfiguration(new TimelineEntryConfiguration());
        modelBuilder.ApplyConfiguration(new CapturedMessageConfiguration());
        modelBuilder.ApplyConfiguration(new EntryReactionConfiguration());
        modelBuilder.ApplyConfiguration(new PersonConfiguration());
        modelBuilder.ApplyConfiguration(new ProcessedEventConfiguration());
        modelBuilder.ApplyConfiguration(new PostMortemConfiguration());
        modelBuilder.ApplyConfiguration(new PublishedPartConfiguration());
        modelBuilder.ApplyConfiguration(new NudgeConfiguration());
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; SQLite keeps no kind, so it is restored on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>();
    }
}
