using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

[assembly: ModelConfiguration<IncidentBot.PostMortems.PostMortemConfiguration, IncidentBot.PostMortems.PostMortem>]

namespace IncidentBot.PostMortems;

internal sealed class PostMortemConfiguration : IEntityTypeConfiguration<PostMortem>
{
    public void Configure(EntityTypeBuilder<PostMortem> postMortem)
    {
        postMortem.ToTable("PostMortems");
        postMortem.HasKey(p => new { p.IncidentId, p.Version });
        // A row written before versions existed is version 1 (the migration adds the column with this default).
        postMortem.Property(p => p.Version).HasDefaultValue(1).HasSentinel(0);
        postMortem.HasOne<Incident>().WithMany().HasForeignKey(p => p.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The PostMortems capability's tables.</summary>
public static class PostMortemsTables
{
    extension(IncidentBotDbContext db)
    {
        public DbSet<PostMortem> PostMortems => db.Set<PostMortem>();
    }

    /// <summary>The incident's latest draft version (tracked), or null before its first close.</summary>
    public static Task<PostMortem?> LatestAsync(this DbSet<PostMortem> postMortems, int incidentId, CancellationToken cancellationToken) =>
        postMortems.Where(p => p.IncidentId == incidentId).OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);
}
