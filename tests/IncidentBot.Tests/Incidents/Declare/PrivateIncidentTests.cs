using IncidentBot.Incidents.Declare;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Incidents.Declare;

/// <summary>A private incident is told only in its own (private) channel: never on the stakeholders' channel, never to outsiders.</summary>
public sealed class PrivateIncidentTests() : GeneralChannelTestBase((options, slack) =>
{
    options.Settings["Incidents:AnnouncementsChannel"] = slack.Workspace.CreateChannel("announcements", false, slack.Options.BotUserId).Id;
    return options;
})
{
    private string Announcements => Testbed.ChannelId("announcements");

    private async Task<string> DeclareAsync(string title, bool isPrivate)
    {
        await Testbed.Slack.Driver.SendSlashCommandAsync(Henry, General, "/incident", "start");
        var modal = ReviewModal.Of(Testbed, Henry);
        modal.Set(DeclareModal.TitleBlock, DeclareModal.ValueAction, title);
        modal.Set(DeclareModal.VisibilityBlock, DeclareModal.ValueAction, isPrivate ? DeclareModal.Private : DeclareModal.Public);
        Assert.Empty((await modal.SubmitAsync()).Errors);
        await Testbed.SettleAsync();
        return (await Testbed.QueryAsync(db => db.Incidents.SingleAsync(i => i.Title == title))).ChannelId!;
    }

    [Fact]
    public async Task A_private_incident_and_its_updates_never_reach_theAnnouncements_channel_and_a_public_one_does()
    {
        var secret = await DeclareAsync("Payroll data exposed", isPrivate: true);
        await Testbed.Slack.Driver.SendSlashCommandAsync(Henry, secret, "/incident", "update Rotating the leaked keys");
        await Testbed.SettleAsync();

        Assert.True(Testbed.Slack.Workspace.GetChannel(secret).IsPrivate);
        Assert.Contains(Testbed.Slack.Workspace.Messages(secret), m => m.Text.Contains("Rotating the leaked keys", StringComparison.Ordinal));
        Assert.DoesNotContain(Testbed.Slack.Workspace.Messages(Announcements), m => m.Text.Contains("Payroll", StringComparison.Ordinal) || m.Text.Contains("leaked keys", StringComparison.Ordinal));
        var list = await Testbed.Slack.Driver.SendSlashCommandAsync(Josh, General, "/incident", "list");
        Assert.DoesNotContain("Payroll", list.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);

        await DeclareAsync("Checkout down", isPrivate: false);
        Assert.Contains(Testbed.Slack.Workspace.Messages(Announcements), m => m.Text.Contains("Checkout down", StringComparison.Ordinal));
    }
}
