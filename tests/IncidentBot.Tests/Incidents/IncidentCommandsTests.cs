using IncidentBot.Incidents;
using IncidentBot.SlackFake.Driver;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Incidents;

/// <summary>Each /incident sub-command, typed where it makes sense and where it does not, with good and bad arguments.</summary>
public sealed class IncidentCommandsTests() : OpsChannelTestBase(TestPeople.Ana, TestPeople.Ben)
{
    private string _random = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _random = Testbed.Slack.Workspace.CreateChannel("random", false, Ana, Ben, Testbed.Slack.Options.BotUserId).Id;
    }

    private async Task<(string Type, string Text)> Run(string text, string? channel = null, string user = Ana)
    {
        var result = await Testbed.Slack.Driver.SendSlashCommandAsync(user, channel ?? Ops, "/incident", text);
        Assert.Equal(200, result.StatusCode);
        var json = result.Json!.Value;
        return (json.GetProperty("response_type").GetString()!, json.GetProperty("text").GetString()!);
    }

    private Task<int> EntryCount() => Testbed.QueryAsync(db => db.TimelineEntries.CountAsync());

    private Task<Incident> TheIncident() => Testbed.QueryAsync(db => db.Incidents.SingleAsync());

    [Fact]
    public async Task Severities_with_descriptions_and_intervals_replace_the_defaults()
    {
        await using var custom = await SlackTestbed.StartInChannelAsync(Time, "ops", [Ana], options =>
        {
            options.Settings["Incidents:Severities:0:Name"] = "P1";
            options.Settings["Incidents:Severities:0:Description"] = "Everyone is down";
            options.Settings["Incidents:Severities:0:UpdateEveryMinutes"] = "15";
            options.Settings["Incidents:Severities:1:Name"] = "P2";
            options.Settings["Incidents:SeverityLevels:0"] = "SEV1";
            return options;
        });
        var channel = custom.ChannelId("ops");
        await custom.Slack.Driver.SendSlashCommandAsync(Ana, channel, "/incident", "start Checkout down");

        var refused = await custom.Slack.Driver.SendSlashCommandAsync(Ana, channel, "/incident", "severity SEV1");
        var accepted = await custom.Slack.Driver.SendSlashCommandAsync(Ana, channel, "/incident", "severity P1");

        Assert.Contains("Choose one of P1, P2.", refused.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("INC-1 is now P1.", accepted.Json!.Value.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("start")]
    [InlineData("start    ")]
    public async Task Start_without_a_title_opens_the_declare_modal_and_declares_nothing_yet(string text)
    {
        var result = await Testbed.Slack.Driver.SendSlashCommandAsync(Ana, Ops, "/incident", text);

        Assert.Equal((200, ""), (result.StatusCode, result.Body));
        Assert.Equal("declare_incident", Testbed.Slack.Driver.OpenViewOf(Ana)?.CallbackId);
        Assert.Equal(0, await Testbed.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Start_with_an_overlong_title_is_refused()
    {
        var (_, reply) = await Run("start " + new string('x', 151));

        Assert.Contains("151 characters", reply, StringComparison.Ordinal);
        Assert.Equal(0, await Testbed.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Start_where_an_incident_is_live_names_it_and_changes_nothing()
    {
        await Run("start Checkout &amp; payments down");
        await Testbed.SettleAsync();

        var (type, reply) = await Run("start Something else", user: Ben);

        Assert.Equal("ephemeral", type);
        Assert.Contains("INC-1 *Checkout &amp; payments down* is already live in this channel", reply, StringComparison.Ordinal);
        Assert.Equal("Checkout & payments down", (await TheIncident()).Title);
    }

    [Fact]
    public async Task The_title_keeps_what_the_user_typed_and_the_caller_leads()
    {
        var (type, reply) = await Run("start   DB   <primary> & replicas  down ");

        Assert.Equal("in_channel", type);
        Assert.Contains("*DB &lt;primary&gt; &amp; replicas down*", reply, StringComparison.Ordinal);
        var incident = await TheIncident();
        Assert.Equal(("DB <primary> & replicas down", Ana, IncidentStatus.Live, Ops), (incident.Title, incident.LeaderUserId, incident.Status, incident.ChannelId));
        Assert.Equal(Time.GetUtcNow().UtcDateTime, incident.DeclaredAt);
    }

    [Theory]
    [InlineData("close")]
    [InlineData("note the cache is cold")]
    [InlineData("lead <@U0BEN00001>")]
    [InlineData("severity SEV2")]
    [InlineData("status")]
    [InlineData("factor x")]
    [InlineData("step y")]
    [InlineData("action z")]
    public async Task Incident_commands_outside_an_incident_channel_answer_a_clear_error_and_change_nothing(string text)
    {
        await Run("start Checkout down");

        var (type, reply) = await Run(text, channel: _random);

        Assert.Equal("ephemeral", type);
        Assert.Contains("There is no live incident in this channel", reply, StringComparison.Ordinal);
        var incident = await TheIncident();
        Assert.Equal((IncidentStatus.Live, Ana, (string?)null), (incident.Status, incident.LeaderUserId, incident.Severity));
        Assert.Equal(1, await EntryCount());
    }

    [Theory]
    [InlineData("severity")]
    [InlineData("severity SEV9")]
    [InlineData("severity critical")]
    public async Task An_unknown_severity_lists_the_allowed_ones_and_changes_nothing(string text)
    {
        await Run("start Checkout down");

        var (_, reply) = await Run(text);

        Assert.Contains("SEV1, SEV2, SEV3, SEV4", reply, StringComparison.Ordinal);
        Assert.Null((await TheIncident()).Severity);
        Assert.Equal(1, await EntryCount());
    }

    [Fact]
    public async Task Severity_is_case_insensitive_and_configurable()
    {
        await using var custom = await SlackTestbed.StartInChannelAsync(Time, "ops", [Ana], options =>
        {
            options.Settings["Incidents:SeverityLevels:0"] = "P1";
            options.Settings["Incidents:SeverityLevels:1"] = "P2";
            return options;
        });
        var channel = custom.ChannelId("ops");
        await custom.Slack.Driver.SendSlashCommandAsync(Ana, channel, "/incident", "start Checkout down");

        var refused = await custom.Slack.Driver.SendSlashCommandAsync(Ana, channel, "/incident", "severity SEV1");
        var accepted = await custom.Slack.Driver.SendSlashCommandAsync(Ana, channel, "/incident", "severity p2");

        Assert.Contains("Choose one of P1, P2.", refused.Json!.Value.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("INC-1 is now P2.", accepted.Json!.Value.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("lead")]
    [InlineData("lead @ben")]
    [InlineData("lead <@U0BEN00001> <@U0ANA00001>")]
    [InlineData("lead <#C123|general>")]
    public async Task Lead_needs_exactly_one_mention(string text)
    {
        await Run("start Checkout down");

        var (_, reply) = await Run(text);

        Assert.Contains("Mention exactly one person", reply, StringComparison.Ordinal);
        Assert.Equal(Ana, (await TheIncident()).LeaderUserId);
    }

    [Theory]
    [InlineData("lead <@U0BEN00001>")]
    [InlineData("lead <@U0BEN00001|ben>")]
    public async Task Lead_hands_over_and_is_recorded(string text)
    {
        await Run("start Checkout down");

        var (_, reply) = await Run(text);

        Assert.Equal("<@U0BEN00001> now leads INC-1.", reply);
        Assert.Equal(Ben, (await TheIncident()).LeaderUserId);
        var entries = await Testbed.TimelineAsync(1);
        Assert.Equal("Incident Leader is now <@U0BEN00001>", entries[^1].Text);
    }

    [Theory]
    [InlineData("note")]
    [InlineData("factor   ")]
    [InlineData("step")]
    [InlineData("action")]
    public async Task Section_commands_without_text_explain_usage(string text)
    {
        await Run("start Checkout down");

        var (_, reply) = await Run(text);

        Assert.Contains("Say what to add", reply, StringComparison.Ordinal);
        Assert.Equal(1, await EntryCount());
    }

    [Fact]
    public async Task Close_ends_the_incident_once_and_later_commands_find_none()
    {
        await Run("start Checkout down");
        Time.Advance(TimeSpan.FromMinutes(44));

        var (_, closed) = await Run("close");
        var (_, again) = await Run("close");

        Assert.Equal($"Closed INC-1 *Checkout down* after 44 min. Its post-mortem draft goes to <#{Testbed.PostmortemChannel}>.", closed);
        Assert.Contains("There is no live incident in this channel", again, StringComparison.Ordinal);
        var incident = await TheIncident();
        Assert.Equal(IncidentStatus.Closed, incident.Status);
        Assert.Equal(incident.DeclaredAt.AddMinutes(44), incident.ClosedAt);
    }

    [Fact]
    public async Task A_new_incident_can_start_where_the_last_one_was_closed()
    {
        await Run("start Checkout down");
        await Run("close");

        var (type, _) = await Run("start Checkout down again");

        Assert.Equal("in_channel", type);
        Assert.Equal(2, await Testbed.QueryAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Status_and_list_describe_live_incidents()
    {
        await Run("start Checkout down");
        await Run("severity sev2");
        await Run("note cache cold");
        await Run("factor a bad deploy");
        await Run("start Search is slow", channel: _random, user: Ben);
        Time.Advance(TimeSpan.FromMinutes(75));

        var (_, status) = await Run("status");
        var (_, list) = await Run("list", channel: _random);

        Assert.Equal(
            "INC-1 *Checkout down*, live for 1 h 15 min\nIncident Leader: <@U0ANA00001> · Severity: SEV2\n" +
            "Timeline: 3 entries · contributing factors: 1 · stabilization steps: 0 · corrective actions: 0",
            status);
        Assert.Contains("2 live incidents:", list, StringComparison.Ordinal);
        Assert.Contains($"INC-1 *Checkout down* in <#{Ops}>: led by <@{Ana}>, SEV2", list, StringComparison.Ordinal);
        Assert.Contains($"INC-2 *Search is slow* in <#{_random}>: led by <@{Ben}>, severity not set", list, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("help")]
    [InlineData("frobnicate the db")]
    public async Task Help_and_unknown_sub_commands_answer_the_command_list(string text)
    {
        var (type, reply) = await Run(text);

        Assert.Equal("ephemeral", type);
        Assert.Contains("`start <title>`", reply, StringComparison.Ordinal);
        Assert.Contains(":pushpin:", reply, StringComparison.Ordinal);
        Assert.Equal(text.StartsWith("frob", StringComparison.Ordinal), reply.StartsWith("I don't know `/incident frobnicate`", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reopen_where_nothing_is_closed_or_the_incident_is_live_is_refused_and_changes_nothing()
    {
        var (_, nowhere) = await Run("reopen");
        await Run("start Checkout down");
        await Testbed.SettleAsync();
        var entries = await EntryCount();

        var (type, live) = await Run("reopen");

        Assert.Equal("ephemeral", type);
        Assert.Contains("There is no closed incident in this channel", nowhere, StringComparison.Ordinal);
        Assert.Contains("INC-1 *Checkout down* is not closed", live, StringComparison.Ordinal);
        Assert.Equal(entries, await EntryCount());
        Assert.Equal(0, await Testbed.QueryAsync(db => db.ChannelBackfills.CountAsync()));
    }

    [Fact]
    public async Task Reopen_makes_the_closed_incident_of_this_channel_live_again()
    {
        await Run("start Checkout down");
        await Run("close");
        await Testbed.SettleAsync();

        var (type, reply) = await Run("reopen", user: Ben);
        await Testbed.SettleAsync();

        Assert.Equal("ephemeral", type);
        Assert.Contains("Reopened INC-1 *Checkout down*", reply, StringComparison.Ordinal);
        var incident = await TheIncident();
        Assert.Equal((IncidentStatus.Live, null), (incident.Status, incident.ClosedAt));
        Assert.Single(Testbed.Slack.Workspace.Messages(Ops), m => m.Text.Contains("Incident reopened", StringComparison.Ordinal));
    }
}
