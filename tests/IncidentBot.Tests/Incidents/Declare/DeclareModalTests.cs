using IncidentBot.Incidents;
using IncidentBot.Incidents.Declare;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Incidents.Declare;

/// <summary>Declaring through the modal: <c>/incident start</c> with no title opens it (views.open with the command's trigger id).</summary>
public sealed class DeclareModalTests() : GeneralChannelTestBase()
{
    private async Task<ReviewModal> OpenAsync(string user = Henry)
    {
        var command = await Testbed.Slack.Driver.SendSlashCommandAsync(user, General, "/incident", "start");
        Assert.Equal(200, command.StatusCode);
        Assert.True(command.Body.Length == 0, command.Body);
        return ReviewModal.Of(Testbed, user);
    }

    [Fact]
    public async Task Start_without_a_title_opens_the_modal_with_the_severities_and_their_descriptions_and_the_declarer_as_lead()
    {
        var modal = await OpenAsync();

        Assert.Equal(DeclareModal.CallbackId, modal.CallbackId);
        var severity = modal.Blocks.Single(b => b.GetProperty("block_id").GetString() == DeclareModal.SeverityBlock).GetProperty("element");
        var options = severity.GetProperty("options").EnumerateArray().Select(o => (o.GetProperty("value").GetString(), o.GetProperty("description").GetProperty("text").GetString())).ToList();
        Assert.Equal(4, options.Count);
        Assert.Equal(("SEV1", "Critical: the product is down or data is at risk for many customers"), options[0]);
        var lead = modal.Blocks.Single(b => b.GetProperty("block_id").GetString() == DeclareModal.LeadBlock).GetProperty("element");
        Assert.Equal(Henry, lead.GetProperty("initial_user").GetString());
        Assert.Equal(0, await Testbed.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Submitting_declares_with_severity_description_and_lead_and_opens_a_channel_with_both_invited()
    {
        var modal = await OpenAsync();
        modal.Set(DeclareModal.TitleBlock, DeclareModal.ValueAction, "Consumer app outage");
        modal.Set(DeclareModal.SeverityBlock, DeclareModal.ValueAction, "SEV1");
        modal.Set(DeclareModal.DescriptionBlock, DeclareModal.ValueAction, "The app fails to load <everything> & more");
        modal.Set(DeclareModal.LeadBlock, DeclareModal.ValueAction, Priya);

        var submitted = await modal.SubmitAsync();
        await Testbed.SettleAsync();

        Assert.Empty(submitted.Errors);
        Assert.Null(Testbed.Slack.Driver.OpenViewOf(Henry));
        var incident = await Testbed.QueryAsync(db => db.Incidents.SingleAsync());
        Assert.Equal(("Consumer app outage", "SEV1", Priya, Henry, "The app fails to load &lt;everything&gt; &amp; more", false),
            (incident.Title, incident.Severity, incident.LeaderUserId, incident.DeclaredByUserId, incident.Description, incident.IsPrivate));
        var channel = Testbed.Slack.Workspace.GetChannel(incident.ChannelId!);
        Assert.False(channel.IsPrivate);
        Assert.Contains(Henry, channel.Members);
        Assert.Contains(Priya, channel.Members);
        var link = Assert.Single(Testbed.Slack.Driver.Responses);
        Assert.Contains($"Follow it in <#{channel.Id}>", link.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_incident_gets_a_private_channel_and_is_listed_only_to_its_members()
    {
        var modal = await OpenAsync();
        modal.Set(DeclareModal.TitleBlock, DeclareModal.ValueAction, "Payroll data exposed");
        modal.Set(DeclareModal.VisibilityBlock, DeclareModal.ValueAction, DeclareModal.Private);
        await modal.SubmitAsync();
        await Testbed.SettleAsync();

        var incident = await Testbed.QueryAsync(db => db.Incidents.SingleAsync());
        Assert.True(incident.IsPrivate);
        Assert.True(Testbed.Slack.Workspace.GetChannel(incident.ChannelId!).IsPrivate);
        var outsider = await Testbed.Slack.Driver.SendSlashCommandAsync(Josh, General, "/incident", "list");
        var member = await Testbed.Slack.Driver.SendSlashCommandAsync(Henry, General, "/incident", "list");
        Assert.Equal("No incident is live. :sunny:", outsider.Json!.Value.GetProperty("text").GetString());
        Assert.Contains("Payroll data exposed", member.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);

        // Added to the channel, Josh sees it too (his membership is asked of Slack).
        Testbed.Slack.Workspace.JoinChannel(Josh, incident.ChannelId!);
        var joined = await Testbed.Slack.Driver.SendSlashCommandAsync(Josh, General, "/incident", "list");
        Assert.Contains(":lock: INC-1 *Payroll data exposed*", joined.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(Testbed.Slack.Calls.Count("conversations.members") >= 2);
    }

    [Fact]
    public async Task A_missing_title_is_answered_under_it_and_declares_nothing()
    {
        var modal = await OpenAsync();
        modal.Set(DeclareModal.TitleBlock, DeclareModal.ValueAction, "   ");

        var submitted = await modal.SubmitAsync();

        Assert.Contains("needs a title", submitted.Errors[DeclareModal.TitleBlock], StringComparison.Ordinal);
        Assert.Equal(DeclareModal.CallbackId, Testbed.Slack.Driver.OpenViewOf(Henry)!.CallbackId);
        Assert.Equal(0, await Testbed.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task A_refused_trigger_is_answered_with_the_one_step_form()
    {
        Testbed.Slack.Faults.Enqueue("views.open", IncidentBot.SlackFake.Faults.Fault.Error("expired_trigger_id"));

        var command = await Testbed.Slack.Driver.SendSlashCommandAsync(Henry, General, "/incident", "start");

        Assert.Contains("(expired_trigger_id)", command.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("/incident start Checkout API returning 500s", command.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);
    }
}
