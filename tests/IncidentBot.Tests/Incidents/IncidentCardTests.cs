using System.Text.Json;
using IncidentBot.Incidents.Card;
using IncidentBot.Incidents.Updates;
using IncidentBot.SlackFake.Workspace;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Incidents;

/// <summary>
/// The incident card, status updates, roles and responders, used as people use them in Slack: commands, the card's
/// buttons and its forms. What reached Slack is asserted: one card per channel, updated in place.
/// </summary>
public sealed class IncidentCardTests : IAsyncLifetime
{
    private const string Ana = TestPeople.Ana;
    private const string Ben = TestPeople.Ben;
    private const string Outsider = "U0OUTSIDE1";

    private readonly FakeTimeProvider _time = Clock.AtSeedIncident();
    private SlackTestbed _testbed = null!;
    private string _ops = "";
    private string _announcements = "";

    public async Task InitializeAsync()
    {
        _testbed = await SlackTestbed.StartAsync(
            _time,
            options =>
            {
                options.InDeclaringChannel();
                options.Settings["Incidents:AnnouncementsChannel"] = _announcements;
                options.Settings["Incidents:Responders:0"] = Ana;
                options.Settings["Incidents:Responders:1"] = Ben;
                return options;
            },
            configureSlack: slack =>
            {
                TestPeople.AddTo(slack.Workspace, Ana);
                TestPeople.AddTo(slack.Workspace, Ben);
                slack.Workspace.AddUser(Outsider, "olga", "Olga Outsider");
                _ops = slack.Workspace.CreateChannel("ops", false, Ana, Ben, Outsider, slack.Options.BotUserId).Id;
                _announcements = slack.Workspace.CreateChannel("announcements", false, slack.Options.BotUserId).Id;
            });
    }

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private async Task<string> CommandAsync(string text, string user = Ana)
    {
        var result = await _testbed.Slack.Driver.SendSlashCommandAsync(user, _ops, "/incident", text);
        Assert.Equal(200, result.StatusCode);
        await _testbed.SettleAsync();
        return result.Json is { } json && json.TryGetProperty("text", out var said) ? said.GetString()! : "";
    }

    private FakeMessage Card(string channel) =>
        Assert.Single(_testbed.Slack.Workspace.Messages(channel), m => m.User == _testbed.Slack.Options.BotUserId && m.Text.Contains("INC-1 declared:", StringComparison.Ordinal));

    /// <summary>The message's text and every text in its blocks, as Slack shows them.</summary>
    private static string Shown(FakeMessage message) => message.Text + "\n" + (message.Blocks is { } blocks ? string.Join("\n", Texts(blocks)) : "");

    private static IEnumerable<string> Texts(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Name == "text" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : Texts(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Texts),
        _ => [],
    };

    private int UpdatesOf(FakeMessage card) =>
        _testbed.Slack.Calls.For("chat.update").Count(c => c.Ok == true && c.Argument("channel") == card.ChannelId && c.Argument("ts") == card.Ts);

    [Fact]
    public async Task One_pinned_card_is_kept_current_in_place_after_severity_lead_role_and_update_changes()
    {
        await CommandAsync("start Checkout down");
        var card = Card(_ops);
        Assert.True(card.IsPinned);
        Assert.Contains("Severity: not set", card.Text, StringComparison.Ordinal);
        var stakeholders = Card(_announcements);
        var posts = _testbed.Slack.Calls.For("chat.postMessage").Count(c => c.Argument("text")?.Contains("INC-1 declared:", StringComparison.Ordinal) == true);

        await CommandAsync("severity sev2");
        await CommandAsync($"lead <@{Ben}>");
        await CommandAsync($"role scribe <@{Ana}>");
        await CommandAsync("update Failing over to the replica <!channel>");

        var now = Card(_ops);
        Assert.Equal(card.Ts, now.Ts);
        Assert.True(UpdatesOf(now) >= 4, $"{UpdatesOf(now)} chat.update calls");
        Assert.Equal(posts, _testbed.Slack.Calls.For("chat.postMessage").Count(c => c.Argument("text")?.Contains("INC-1 declared:", StringComparison.Ordinal) == true));
        var shown = Shown(now);
        Assert.Contains("Severity: SEV2", shown, StringComparison.Ordinal);
        Assert.Contains($"*Incident Leader:* <@{Ben}>", shown, StringComparison.Ordinal);
        Assert.Contains($"*Scribe:* <@{Ana}>", shown, StringComparison.Ordinal);
        Assert.Contains("*Communications:* not assigned", shown, StringComparison.Ordinal);
        Assert.Contains("Failing over to the replica @channel", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", shown, StringComparison.Ordinal);
        var stakeholderNow = Card(_announcements);
        Assert.Equal(stakeholders.Ts, stakeholderNow.Ts);
        Assert.Contains("Severity: SEV2", Shown(stakeholderNow), StringComparison.Ordinal);
        Assert.Contains($"<#{_ops}>", Shown(stakeholderNow), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_reaches_the_incident_channel_the_announcements_channel_and_the_timeline()
    {
        await CommandAsync("start Checkout down");

        var said = await CommandAsync("update Failing over to the replica", Ben);

        Assert.Contains("posted", said, StringComparison.Ordinal);
        Assert.Single(_testbed.Slack.Workspace.Messages(_ops), m => m.Text.StartsWith(":loudspeaker: *Status update* on INC-1", StringComparison.Ordinal) && m.Text.EndsWith("Failing over to the replica", StringComparison.Ordinal));
        Assert.Single(_testbed.Slack.Workspace.Messages(_announcements), m => m.Text.Contains($"(<#{_ops}>) from <@{Ben}>:\nFailing over to the replica", StringComparison.Ordinal));
        var entries = await _testbed.TimelineAsync(1);
        Assert.Single(entries, e => e.Kind == EntryKind.Lifecycle && e.Text == "Status update: Failing over to the replica" && e.AuthorUserId == Ben);
    }

    [Fact]
    public async Task The_cards_buttons_open_forms_that_post_an_update_set_the_severity_and_hand_over_the_lead()
    {
        await CommandAsync("start Checkout down");
        var card = Card(_ops);

        await _testbed.Slack.Driver.ClickMessageButtonAsync(Ana, _ops, card.Ts, IncidentCardIds.SetSeverity);
        var severity = ReviewModal.Of(_testbed, Ana);
        Assert.Equal(IncidentCardIds.SeverityForm, severity.CallbackId);
        Assert.Contains("Critical: the product is down", severity.Current.View.GetRawText(), StringComparison.Ordinal);
        severity.Set(IncidentCardIds.SeverityBlock, IncidentCardIds.SeverityAction, "SEV1");
        Assert.Empty((await severity.SubmitAsync()).Errors);

        await _testbed.Slack.Driver.ClickMessageButtonAsync(Ana, _ops, card.Ts, IncidentCardIds.HandOverLead);
        var lead = ReviewModal.Of(_testbed, Ana);
        lead.Set(IncidentCardIds.LeadBlock, IncidentCardIds.LeadAction, Ben);
        Assert.Empty((await lead.SubmitAsync()).Errors);

        await _testbed.Slack.Driver.ClickMessageButtonAsync(Outsider, _ops, card.Ts, IncidentCardIds.PostUpdate);
        var update = ReviewModal.Of(_testbed, Outsider);
        update.Set(IncidentCardIds.UpdateBlock, IncidentCardIds.UpdateAction, "Replica is taking traffic <http://evil.example|docs>");
        Assert.Empty((await update.SubmitAsync()).Errors);
        await _testbed.SettleAsync();

        var shown = Shown(Card(_ops));
        Assert.Contains("Severity: SEV1", shown, StringComparison.Ordinal);
        Assert.Contains($"*Incident Leader:* <@{Ben}>", shown, StringComparison.Ordinal);
        Assert.Contains("Replica is taking traffic &lt;http://evil.example|docs&gt;", shown, StringComparison.Ordinal);
        var incident = await _testbed.QueryAsync(db => db.Incidents.SingleAsync());
        Assert.Equal(("SEV1", Ben), (incident.Severity, incident.LeaderUserId));
    }

    [Fact]
    public async Task The_close_button_asks_first_saying_what_follows_and_then_closes()
    {
        await CommandAsync("start Checkout down");
        var card = Card(_ops);
        var confirm = Shown(card);
        Assert.Contains("post-mortem draft is published to #", confirm, StringComparison.Ordinal);
        Assert.Contains("stop being recorded", confirm, StringComparison.Ordinal);

        await _testbed.Slack.Driver.ClickMessageButtonAsync(Ana, _ops, card.Ts, IncidentCardIds.Close);
        await _testbed.SettleAsync();

        Assert.Equal(IncidentBot.Incidents.IncidentStatus.Closed, (await _testbed.QueryAsync(db => db.Incidents.SingleAsync())).Status);
        var closed = Card(_ops);
        Assert.Contains("Status: closed", closed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(IncidentCardIds.Close, closed.Blocks!.Value.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outsiders_close_by_command_or_button_is_refused_and_changes_nothing_but_they_may_add_to_the_timeline()
    {
        await CommandAsync("start Checkout down");
        var card = Card(_ops);
        var updatesBefore = UpdatesOf(card);

        var said = await CommandAsync("close", Outsider);
        await _testbed.Slack.Driver.ClickMessageButtonAsync(Outsider, _ops, card.Ts, IncidentCardIds.Close);
        var severity = await CommandAsync("severity SEV1", Outsider);
        var noted = await CommandAsync("note the replica is warm", Outsider);
        await _testbed.SettleAsync();

        Assert.Contains("Only responders", said, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", said, StringComparison.Ordinal);
        Assert.Contains("Only responders", severity, StringComparison.Ordinal);
        Assert.Contains(_testbed.Slack.Calls.For("chat.postEphemeral"), c => c.Argument("user") == Outsider && c.Argument("text")!.Contains("Only responders", StringComparison.Ordinal));
        var incident = await _testbed.QueryAsync(db => db.Incidents.SingleAsync());
        Assert.Equal((IncidentBot.Incidents.IncidentStatus.Live, null), (incident.Status, incident.Severity));
        Assert.Equal(updatesBefore, UpdatesOf(Card(_ops)));
        Assert.StartsWith("Added", noted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Roles_are_case_insensitive_can_be_cleared_and_an_unknown_role_is_refused()
    {
        await CommandAsync("start Checkout down");

        var set = await CommandAsync($"role COMMUNICATIONS <@{Ben}>");
        var unknown = await CommandAsync($"role juggler <@{Ben}>");
        var cleared = await CommandAsync("role communications clear");

        Assert.Equal($"<@{Ben}> is now Communications of INC-1.", set);
        Assert.Contains("'juggler' is not a role here; the roles are Scribe, Communications", unknown, StringComparison.Ordinal);
        Assert.Equal("Nobody is Communications of INC-1 now.", cleared);
        var entries = await _testbed.TimelineAsync(1);
        Assert.Contains(entries, e => e.Text == $"Communications is now <@{Ben}>");
        Assert.Contains(entries, e => e.Text == "Communications cleared");
        Assert.Contains("*Communications:* not assigned", Shown(Card(_ops)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_draft_names_who_held_each_role_under_the_incident_leader()
    {
        await CommandAsync("start Checkout down");
        await CommandAsync($"role scribe <@{Ben}>");

        await CommandAsync("close");
        await _testbed.SettleAsync();
        var markdown = await _testbed.Bot.Management.GetStringAsync("incidents/1/postmortem.md");

        Assert.Contains("**Incident Leader:** Ana Lima\n\n**Scribe:** Ben Okoro\n\n## Description", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Communications", markdown, StringComparison.Ordinal);
    }

    /// <summary>What the recurring job does each minute, run at the instant the test chose.</summary>
    private async Task<List<FakeMessage>> RemindAtAsync(TimeSpan afterStart)
    {
        _time.SetUtcNow(new DateTimeOffset(2017, 9, 21, 6, 0, 0, TimeSpan.Zero) + afterStart);
        await using (var scope = _testbed.Bot.Services.CreateAsyncScope())
        {
            await ActivatorUtilities.CreateInstance<RemindStatusUpdatesJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);
        }

        return [.. _testbed.Slack.Workspace.Messages(_ops).Where(m => m.Text.StartsWith(":mega:", StringComparison.Ordinal))];
    }

    [Fact]
    public async Task The_lead_is_reminded_to_post_an_update_once_per_interval_of_the_severity()
    {
        _time.SetUtcNow(new DateTimeOffset(2017, 9, 21, 6, 0, 0, TimeSpan.Zero));
        await CommandAsync("start Checkout down");
        Assert.Empty(await RemindAtAsync(TimeSpan.FromMinutes(90))); // no severity: the quiet nudge asks for one
        _time.SetUtcNow(new DateTimeOffset(2017, 9, 21, 7, 30, 0, TimeSpan.Zero));
        await CommandAsync("severity SEV2"); // an update every 60 min

        var first = await RemindAtAsync(TimeSpan.FromMinutes(91));
        var again = await RemindAtAsync(TimeSpan.FromMinutes(100));
        var second = await RemindAtAsync(TimeSpan.FromMinutes(121));

        var reminder = Assert.Single(first);
        Assert.Contains($"<@{Ana}>, INC-1 has had no status update for 1 h 31 min (SEV2: one every 60 min)", reminder.Text, StringComparison.Ordinal);
        Assert.Contains(IncidentCardIds.PostUpdate, reminder.Blocks!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.Single(again);
        Assert.Equal(2, second.Count);

        _time.SetUtcNow(new DateTimeOffset(2017, 9, 21, 8, 5, 0, TimeSpan.Zero));
        await CommandAsync("update Replica is taking traffic");
        Assert.Equal(2, (await RemindAtAsync(TimeSpan.FromMinutes(184))).Count); // 59 min after the update
        Assert.Equal(3, (await RemindAtAsync(TimeSpan.FromMinutes(185))).Count);
    }
}
