using IncidentBot.AppHome;
using IncidentBot.Incidents.Declare;
using IncidentBot.Incidents.Shortcuts;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Incidents.Declare;

/// <summary>The shortcuts and the Home tab, as Slack sends them: a global shortcut, two message shortcuts, app_home_opened and its button.</summary>
public sealed class ShortcutsTests : IAsyncLifetime
{
    private const string Henry = "U0HENRY001";
    private const string Priya = "U0PRIYA001";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2017, 9, 20, 6, 4, 0, TimeSpan.Zero));
    private SlackTestbed _testbed = null!;
    private string _general = "";

    public async Task InitializeAsync()
    {
        _testbed = await SlackTestbed.StartAsync(_time);
        _testbed.Slack.Workspace.AddUser(Henry, "henry", "Henry Clifford");
        _testbed.Slack.Workspace.AddUser(Priya, "priya", "Priya Raman");
        // The bot is not in #general: the message comes with the shortcut's payload, not from history.
        _general = _testbed.Slack.Workspace.CreateChannel("general", false, Henry, Priya).Id;
    }

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private async Task DeclareInModalAsync(string title)
    {
        var modal = ReviewModal.Of(_testbed, Henry);
        Assert.Equal(DeclareModal.CallbackId, modal.CallbackId);
        modal.Set(DeclareModal.TitleBlock, DeclareModal.ValueAction, title);
        Assert.Empty((await modal.SubmitAsync()).Errors);
        await _testbed.SettleAsync();
    }

    [Fact]
    public async Task The_global_shortcut_opens_the_declare_modal_and_declares_with_a_channel_of_its_own()
    {
        var shortcut = await _testbed.Slack.Driver.RunGlobalShortcutAsync(Henry, DeclareIncidentShortcut.CallbackId);
        Assert.Equal(200, shortcut.StatusCode);

        await DeclareInModalAsync("Consumer app outage");

        var incident = await _testbed.QueryAsync(db => db.Incidents.SingleAsync());
        Assert.Equal(("Consumer app outage", Henry), (incident.Title, incident.LeaderUserId));
        Assert.Contains(Henry, _testbed.Slack.Workspace.GetChannel(incident.ChannelId!).Members);
    }

    [Fact]
    public async Task Declaring_from_a_message_makes_it_the_first_entry_at_its_own_time_and_links_back_to_it()
    {
        var report = await _testbed.Slack.Driver.PostMessageAsync(Priya, _general, "The consumer app isn't working: every screen fails to load.");
        _time.Advance(TimeSpan.FromMinutes(2));

        var shortcut = await _testbed.Slack.Driver.RunMessageShortcutAsync(Henry, _general, report.Ts, DeclareFromMessageShortcut.CallbackId);
        Assert.Equal(200, shortcut.StatusCode);
        var modal = ReviewModal.Of(_testbed, Henry);
        Assert.Equal("The consumer app isn't working: every screen fails to load.", modal.Current.StateOf(DeclareModal.TitleBlock, DeclareModal.ValueAction)?.GetProperty("value").GetString());
        await DeclareInModalAsync("Consumer app outage");

        var incident = await _testbed.QueryAsync(db => db.Incidents.SingleAsync());
        var first = await _testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Kind == EntryKind.Message).SingleAsync());
        Assert.Equal((_general, report.Ts, Priya, "The consumer app isn't working: every screen fails to load.", false),
            (first.SourceChannelId, first.SourceTs, first.AuthorUserId, first.Text, first.Pending));
        Assert.Equal(new DateTime(2017, 9, 20, 6, 4, 0, DateTimeKind.Utc), first.OccurredAt.AddTicks(-(first.OccurredAt.Ticks % TimeSpan.TicksPerSecond)));
        var permalink = $"/archives/{_general}/p{report.Ts.Replace(".", "", StringComparison.Ordinal)}";
        Assert.Contains(_testbed.Slack.Workspace.Messages(incident.ChannelId!), m => m.Text.Contains(permalink, StringComparison.Ordinal) && m.Text.Contains("was declared from", StringComparison.Ordinal));
        Assert.Single(_testbed.Slack.Driver.ResponsesFor(shortcut.ResponseUrlId!));
    }

    [Fact]
    public async Task Add_to_timeline_from_another_channel_asks_which_incident_and_puts_the_message_in_the_chosen_section()
    {
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await _testbed.SettleAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        var finding = await _testbed.Slack.Driver.PostMessageAsync(Priya, _general, "elasticsearch still has the deprecated enums");

        await _testbed.Slack.Driver.RunMessageShortcutAsync(Henry, _general, finding.Ts, AddToTimelineShortcut.CallbackId);
        var modal = ReviewModal.Of(_testbed, Henry);
        modal.Set(AddToTimelineShortcut.IncidentBlock, AddToTimelineShortcut.ValueAction, "1");
        modal.Set(AddToTimelineShortcut.SectionBlock, AddToTimelineShortcut.ValueAction, nameof(TimelineSection.ContributingFactors));
        var added = await modal.SubmitAsync();
        await _testbed.Slack.Driver.RunMessageShortcutAsync(Henry, _general, finding.Ts, AddToTimelineShortcut.CallbackId);
        var again = ReviewModal.Of(_testbed, Henry);
        again.Set(AddToTimelineShortcut.IncidentBlock, AddToTimelineShortcut.ValueAction, "1");
        again.Set(AddToTimelineShortcut.SectionBlock, AddToTimelineShortcut.ValueAction, nameof(TimelineSection.ContributingFactors));
        var twice = await again.SubmitAsync();

        Assert.Empty(added.Errors);
        Assert.Contains("already in Contributing Factor(s)", twice.Errors[AddToTimelineShortcut.SectionBlock], StringComparison.Ordinal);
        var entry = await _testbed.QueryAsync(db => db.TimelineEntries.SingleAsync(e => e.Section == TimelineSection.ContributingFactors));
        Assert.Equal((finding.Ts, Priya, "elasticsearch still has the deprecated enums"), (entry.SourceTs, entry.AuthorUserId, entry.Text));
    }

    [Fact]
    public async Task The_home_tab_lists_the_live_incidents_and_its_button_opens_the_declare_modal()
    {
        await _testbed.Slack.Driver.SendSlashCommandAsync(Henry, _general, "/incident", "start Consumer app outage");
        await _testbed.SettleAsync();

        await _testbed.Slack.Driver.OpenAppHomeAsync(Priya);
        var home = _testbed.Slack.Workspace.HomeViewOf(Priya);
        Assert.NotNull(home);
        Assert.Contains("*INC-1* Consumer app outage", home.ViewJson, StringComparison.Ordinal);
        var click = await _testbed.Slack.Driver.ClickHomeButtonAsync(Priya, HomeTab.DeclareAction);

        Assert.Equal(200, click.StatusCode);
        Assert.Equal(DeclareModal.CallbackId, _testbed.Slack.Driver.OpenViewOf(Priya)?.CallbackId);
    }
}
