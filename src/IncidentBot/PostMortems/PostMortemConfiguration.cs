using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IncidentBot.PostMortems;

internal sealed class PostMortemConfiguration : IEntityTypeConfiguration<PostMortem>
{
    public void Configure(EntityTypeBuilder<PostMortem> postMortem)
    {
        postMortem.ToTable("PostMortems");
        postMortem.HasKey(p => p.IncidentId);
        postMortem.HasOne<Incident>().WithOne().HasForeignKey<PostMortem>(p => p.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The PostMortems capability's tables.</summary>
public static class PostMortemsTables
{
    extension(IncidentBotDbContext db)
    {
        public DbSet<PostMortem> PostMortems => db.Set<PostMortem>();
    }
}
