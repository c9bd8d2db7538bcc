using IncidentBot.Incidents.Declare;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Incidents.Declare;

/// <summary>A private incident is told only in its own (private) channel: never on the stakeholders' channel, never to outsiders.</summary>
public sealed class PrivateIncidentTests : IAsyncLifetime
{
    private const string Henry = "U0HENRY001";
    private const string Josh = "U0JOSH0001";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2017, 9, 20, 6, 5, 30, TimeSpan.Zero));
    private SlackTestbed _testbed = null!;
    private string _general = "";
    private string _announcements = "";

    public async Task InitializeAsync()
    {
        _testbed = await SlackTestbed.StartAsync(
            _time,
            options =>
            {
                options.Settings["Incidents:AnnouncementsChannel"] = _announcements;
                return options;
            },
            configureSlack: slack =>
            {
                slack.Workspace.AddUser(Henry, "henry", "Henry Clifford");
                slack.Workspace.AddUser(Josh, "josh", "Josh Pereira");
                _general = slack.Workspace.CreateChannel("general", false, Henry, Josh).Id;
                _announcements = slack.Workspace.CreateChannel("announcements", false, slack.Options.BotUserId).Id;
            });
    }

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private async Task<string> DeclareAsync(string title, bool isPrivate)
    {
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start");
        var modal = ReviewModal.Of(_testbed, Henry);
        modal.Set(DeclareModal.TitleBlock, DeclareModal.ValueAction, title);
        modal.Set(DeclareModal.VisibilityBlock, DeclareModal.ValueAction, isPrivate ? DeclareModal.Private : DeclareModal.Public);
        Assert.Empty((await modal.SubmitAsync()).Errors);
        await _testbed.SettleAsync();
        return (await _testbed.QueryAsync(db => db.Incidents.SingleAsync(i => i.Title == title))).ChannelId!;
    }

    [Fact]
    public async Task A_private_incident_and_its_updates_never_reach_the_announcements_channel_and_a_public_one_does()
    {
        var secret = await DeclareAsync("Payroll data exposed", isPrivate: true);
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, secret, "/incident", "update Rotating the leaked keys");
        await _testbed.SettleAsync();

        Assert.True(_testbed.Slack.Workspace.GetChannel(secret).IsPrivate);
        Assert.Contains(_testbed.Slack.Workspace.Messages(secret), m => m.Text.Contains("Rotating the leaked keys", StringComparison.Ordinal));
        Assert.DoesNotContain(_testbed.Slack.Workspace.Messages(_announcements), m => m.Text.Contains("Payroll", StringComparison.Ordinal) || m.Text.Contains("leaked keys", StringComparison.Ordinal));
        var list = await _testbed.Slack.Driver.SendSlashCommandAsync(Josh, _general, "/incident", "list");
        Assert.DoesNotContain("Payroll", list.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);

        await DeclareAsync("Checkout down", isPrivate: false);
        Assert.Contains(_testbed.Slack.Workspace.Messages(_announcements), m => m.Text.Contains("Checkout down", StringComparison.Ordinal));
    }
}
