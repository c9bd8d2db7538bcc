
namespace IncidentBot.People;

public static class PeopleServiceCollectionExtensions
{
    /// <summary>People: names for the record, from users.info, kept in the database; who is on a configured list of people.</summary>
    public static IServiceCollection AddPeople(this IServiceCollection services)
    {
        services.AddSingleton<UserGroupMembers>();
        services.AddSingleton<KnownPeople>();
        services.AddScoped<PeopleList>();
        return services.AddScoped<PeopleDirectory>();
    }
}
