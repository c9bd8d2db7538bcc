using IncidentBot.AppHome;
using IncidentBot.Incidents.Declare;
using IncidentBot.Incidents.Shortcuts;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Incidents.Declare;

/// <summary>The shortcuts and the Home tab, as Slack sends them: a global shortcut, two message shortcuts, app_home_opened and its button.</summary>
public sealed class ShortcutsTests() : GeneralChannelTestBase()
{
    private async Task DeclareInModalAsync(string title)
    {
        var modal = ReviewModal.Of(Testbed, Henry);
        Assert.Equal(DeclareModal.CallbackId, modal.CallbackId);
        modal.Set(DeclareModal.TitleBlock, DeclareModal.ValueAction, title);
        Assert.Empty((await modal.SubmitAsync()).Errors);
        await Testbed.SettleAsync();
    }

    [Fact]
    public async Task The_global_shortcut_opens_the_declare_modal_and_declares_with_a_channel_of_its_own()
    {
        var shortcut = await Testbed.Slack.Driver.RunGlobalShortcutAsync(Henry, DeclareIncidentShortcut.CallbackId);
        Assert.Equal(200, shortcut.StatusCode);

        await DeclareInModalAsync("Consumer app outage");

        var incident = await Testbed.QueryAsync(db => db.Incidents.SingleAsync());
        Assert.Equal(("Consumer app outage", Henry), (incident.Title, incident.LeaderUserId));
        Assert.Contains(Henry, Testbed.Slack.Workspace.GetChannel(incident.ChannelId!).Members);
    }

    [Fact]
    public async Task Declaring_from_a_message_makes_it_the_first_entry_at_its_ownTime_and_links_back_to_it()
    {
        var report = await Testbed.Slack.Driver.PostMessageAsync(Priya, General, "The consumer app isn't working: every screen fails to load.");
        Time.Advance(TimeSpan.FromMinutes(2));

        var shortcut = await Testbed.Slack.Driver.RunMessageShortcutAsync(Henry, General, report.Ts, DeclareFromMessageShortcut.CallbackId);
        Assert.Equal(200, shortcut.StatusCode);
        var modal = ReviewModal.Of(Testbed, Henry);
        Assert.Equal("The consumer app isn't working: every screen fails to load.", modal.Current.StateOf(DeclareModal.TitleBlock, DeclareModal.ValueAction)?.GetProperty("value").GetString());
        await DeclareInModalAsync("Consumer app outage");

        var incident = await Testbed.QueryAsync(db => db.Incidents.SingleAsync());
        var first = await Testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Kind == EntryKind.Message).SingleAsync());
        Assert.Equal((General, report.Ts, Priya, "The consumer app isn't working: every screen fails to load.", false),
            (first.SourceChannelId, first.SourceTs, first.AuthorUserId, first.Text, first.Pending));
        Assert.Equal(new DateTime(2017, 9, 20, 6, 4, 0, DateTimeKind.Utc), first.OccurredAt.AddTicks(-(first.OccurredAt.Ticks % TimeSpan.TicksPerSecond)));
        var permalink = $"/archives/{General}/p{report.Ts.Replace(".", "", StringComparison.Ordinal)}";
        Assert.Contains(Testbed.Slack.Workspace.Messages(incident.ChannelId!), m => m.Text.Contains(permalink, StringComparison.Ordinal) && m.Text.Contains("was declared from", StringComparison.Ordinal));
        Assert.Single(Testbed.Slack.Driver.ResponsesFor(shortcut.ResponseUrlId!));
    }

    [Fact]
    public async Task Add_toTimeline_from_another_channel_asks_which_incident_and_puts_the_message_in_the_chosen_section()
    {
        await Testbed.Slack.Driver.SendSlashCommandAsync(Henry, General, "/incident", "start Consumer app outage");
        await Testbed.SettleAsync();
        Time.Advance(TimeSpan.FromMinutes(1));
        var finding = await Testbed.Slack.Driver.PostMessageAsync(Priya, General, "elasticsearch still has the deprecated enums");

        await Testbed.Slack.Driver.RunMessageShortcutAsync(Henry, General, finding.Ts, AddToTimelineShortcut.CallbackId);
        var modal = ReviewModal.Of(Testbed, Henry);
        modal.Set(AddToTimelineShortcut.IncidentBlock, AddToTimelineShortcut.ValueAction, "1");
        modal.Set(AddToTimelineShortcut.SectionBlock, AddToTimelineShortcut.ValueAction, nameof(TimelineSection.ContributingFactors));
        var added = await modal.SubmitAsync();
        await Testbed.Slack.Driver.RunMessageShortcutAsync(Henry, General, finding.Ts, AddToTimelineShortcut.CallbackId);
        var again = ReviewModal.Of(Testbed, Henry);
        again.Set(AddToTimelineShortcut.IncidentBlock, AddToTimelineShortcut.ValueAction, "1");
        again.Set(AddToTimelineShortcut.SectionBlock, AddToTimelineShortcut.ValueAction, nameof(TimelineSection.ContributingFactors));
        var twice = await again.SubmitAsync();

        Assert.Empty(added.Errors);
        Assert.Contains("already in Contributing Factor(s)", twice.Errors[AddToTimelineShortcut.SectionBlock], StringComparison.Ordinal);
        var entry = await Testbed.QueryAsync(db => db.TimelineEntries.SingleAsync(e => e.Section == TimelineSection.ContributingFactors));
        Assert.Equal((finding.Ts, Priya, "elasticsearch still has the deprecated enums"), (entry.SourceTs, entry.AuthorUserId, entry.Text));
    }

    [Fact]
    public async Task The_home_tab_lists_the_live_incidents_and_its_button_opens_the_declare_modal()
    {
        await Testbed.Slack.Driver.SendSlashCommandAsync(Henry, General, "/incident", "start Consumer app outage");
        await Testbed.SettleAsync();

        await Testbed.Slack.Driver.OpenAppHomeAsync(Priya);
        var home = Testbed.Slack.Workspace.HomeViewOf(Priya);
        Assert.NotNull(home);
        Assert.Contains("*INC-1* Consumer app outage", home.ViewJson, StringComparison.Ordinal);
        var click = await Testbed.Slack.Driver.ClickHomeButtonAsync(Priya, HomeTab.DeclareAction);

        Assert.Equal(200, click.StatusCode);
        Assert.Equal(DeclareModal.CallbackId, Testbed.Slack.Driver.OpenViewOf(Priya)?.CallbackId);
    }
}
