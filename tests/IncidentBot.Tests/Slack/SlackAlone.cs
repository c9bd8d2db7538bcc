using IncidentBot.Slack;
using IncidentBot.Slack.Handling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Slack;

/// <summary>The Slack adapter in a bare service provider (no host, no HTTP, no socket): for tests of the inbound pipeline.</summary>
internal static class SlackAlone
{
    /// <param name="handlers">The handlers to register.</param>
    /// <param name="services">Registered after the adapter, so that they replace its defaults (as a host's do).</param>
    public static ServiceProvider Build(Action<SlackBuilder> handlers, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        handlers(collection.AddSlack());
        services?.Invoke(collection);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
