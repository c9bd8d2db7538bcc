using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// Where declaring tests begin: the default mode (each incident gets its own channel), on the seed morning, with Henry,
/// Priya and Josh in #general, where the bot is not: what reaches it from there comes with the command or shortcut.
/// <paramref name="configure"/> may add settings, and set up the fake (it runs before the bot starts).
/// </summary>
public abstract class GeneralChannelTestBase(Func<BotHostOptions, IncidentBot.SlackFake.FakeSlackServer, BotHostOptions>? configure = null) : IAsyncLifetime
{
    protected const string Henry = "U0HENRY001";
    protected const string Priya = "U0PRIYA001";
    protected const string Josh = "U0JOSH0001";

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2017, 9, 20, 6, 4, 0, TimeSpan.Zero));

    protected SlackTestbed Testbed { get; private set; } = null!;

    /// <summary>The id of #general.</summary>
    protected string General { get; private set; } = "";

    public async Task InitializeAsync()
    {
        IncidentBot.SlackFake.FakeSlackServer? fake = null;
        Testbed = await SlackTestbed.StartAsync(
            Time,
            options => configure?.Invoke(options, fake!) ?? options,
            configureSlack: slack =>
            {
                fake = slack;
                slack.Workspace.AddUser(Henry, "henry", "Henry Clifford");
                slack.Workspace.AddUser(Priya, "priya", "Priya Raman");
                slack.Workspace.AddUser(Josh, "josh", "Josh Pereira");
                General = slack.Workspace.CreateChannel("general", false, Henry, Priya, Josh).Id;
            });
    }

    public async Task DisposeAsync() => await Testbed.DisposeAsync();
}
