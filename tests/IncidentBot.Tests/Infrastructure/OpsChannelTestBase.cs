using IncidentBot.Tests.Builders;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// Where most incident tests begin: the bot and the fake Slack on the seed incident's morning, incidents kept in the
/// channel where they are declared, and <see cref="Ana"/> (with <see cref="Ben"/> when asked) and the bot in #ops.
/// </summary>
public abstract class OpsChannelTestBase(params string[] people) : IAsyncLifetime
{
    protected const string Ana = TestPeople.Ana;
    protected const string Ben = TestPeople.Ben;

    protected FakeTimeProvider Time { get; } = Clock.AtSeedIncident();

    protected SlackTestbed Testbed { get; set; } = null!;

    /// <summary>The id of #ops.</summary>
    protected string Ops { get; set; } = "";

    public virtual async Task InitializeAsync()
    {
        Testbed = await SlackTestbed.StartInChannelAsync(Time, "ops", people);
        Ops = Testbed.ChannelId("ops");
    }

    public virtual async Task DisposeAsync() => await Testbed.DisposeAsync();
}
