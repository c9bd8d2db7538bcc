namespace IncidentBot.People;

public static class PeopleServiceCollectionExtensions
{
    /// <summary>People: names for the record, from users.info, kept in the database.</summary>
    public static IServiceCollection AddPeople(this IServiceCollection services) => services.AddScoped<PeopleDirectory>();
}
