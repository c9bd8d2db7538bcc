using IncidentBot.Slack;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.AppHome;

public static class AppHomeServiceCollectionExtensions
{
    /// <summary>App Home: the bot's Home tab, with a Declare incident button and the live incidents.</summary>
    public static IServiceCollection AddAppHome(this IServiceCollection services)
    {
        services.AddSlack()
            .AddEventHandler<AppHomeOpened, PublishHomeWhenOpened>()
            .AddBlockAction<DeclareFromHomeButton>(HomeTab.DeclareAction);
        return services;
    }
}
