using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

[assembly: ModelConfiguration<IncidentBot.People.PersonConfiguration, IncidentBot.People.Person>]

namespace IncidentBot.People;

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> person)
    {
        person.ToTable("People");
        person.HasKey(p => p.UserId);
    }
}

/// <summary>The People capability's table.</summary>
public static class PeopleTables
{
    extension(IncidentBotDbContext db)
    {
        public DbSet<Person> People => db.Set<Person>();
    }
}
