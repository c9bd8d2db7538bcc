using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentBot.Sandbox;
using IncidentBot.Sandbox.Page;
using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Sandbox;

public sealed class SandboxPageApiTests
{
    private const string Henry = "U0HENRY001";

    [Fact]
    public async Task A_message_with_markup_is_shown_as_text_never_as_html()
    {
        // Arrange
        await using var sandbox = await SandboxRun.StartAsync();
        var channel = sandbox.Slack.Workspace.FindChannelByName("consumer-eng")!.Id;

        // Act
        var posted = await sandbox.PostMessageAsync(Henry, channel, "<script>alert(1)</script> & <b>bold</b>");
        var state = await StateAsync(sandbox, channel);

        // Assert
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var html = state.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("html").GetString()!).Single(h => h.Contains("alert", StringComparison.Ordinal));
        Assert.Equal("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;", html);
        Assert.Equal("<script>alert(1)</script> & <b>bold</b>", sandbox.Slack.Workspace.Messages(channel).Select(m => IncidentBot.Slack.Payloads.SlackText.Unescape(m.Text)).Last());
    }

    [Fact]
    public async Task A_slash_command_typed_on_the_page_reaches_the_bot_and_its_answer_is_shown_only_to_the_sender()
    {
        // Arrange
        await using var sandbox = await SandboxRun.StartAsync();
        var channel = sandbox.Slack.Workspace.FindChannelByName("consumer-eng")!.Id;

        // Act
        var sent = await sandbox.PostMessageAsync(Henry, channel, "/incident start API outage");
        var mine = await StateAsync(sandbox, channel);
        var damians = await StateAsync(sandbox, channel, "U0DAMIAN01");

        // Assert
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var answer = mine.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("kind").GetString() == "ephemeral");
        Assert.Contains("API outage", answer.GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Equal("Henry Clifford used /incident start API outage", answer.GetProperty("note").GetString());
        Assert.DoesNotContain(damians.GetProperty("items").EnumerateArray(), i => i.GetProperty("kind").GetString() == "ephemeral");
        var created = await Eventually.Value(() => sandbox.Slack.Calls.Last("conversations.create"), "the bot to create the incident's channel", sandbox.Describe);
        Assert.Contains("api-outage", created.Argument("name"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Teammates_see_the_new_incident_channel_join_it_and_their_pins_make_the_draft()
    {
        // Arrange: Henry declares; the bot opens a channel and invites only him.
        await using var sandbox = await SandboxRun.StartAsync();
        var origin = sandbox.Slack.Workspace.FindChannelByName("consumer-eng")!.Id;
        await sandbox.PostMessageAsync(Henry, origin, "/incident start Search is down");
        var incident = await Eventually.Value(() => sandbox.Slack.Workspace.Channels.FirstOrDefault(c => c.Name.StartsWith("inc-", StringComparison.Ordinal)), "the incident's channel", sandbox.Describe);
        const string damian = "U0DAMIAN01";

        // Act: Damian sees it among the channels he can join, joins, posts; Henry pins; Henry closes.
        var before = await StateAsync(sandbox, incident.Id, damian);
        var refused = await sandbox.PostMessageAsync(damian, incident.Id, "too early");
        var joined = await sandbox.JoinChannelAsync(damian, incident.Id);
        var posted = await sandbox.PostMessageAsync(damian, incident.Id, "search nodes OOM & restarting");
        var ts = sandbox.Slack.Workspace.Messages(incident.Id).Single(m => m.User == damian && m.Text.Contains("OOM", StringComparison.Ordinal)).Ts;
        await sandbox.AddReactionAsync(Henry, incident.Id, ts, "pushpin");
        await sandbox.PostMessageAsync(Henry, incident.Id, "/incident close");
        var draft = await Eventually.Value(async () => (await StateAsync(sandbox, incident.Id)).GetProperty("drafts").EnumerateArray().Select(d => d.GetProperty("html").GetString()).FirstOrDefault(), "the draft on the page", sandbox.Describe);

        // Assert
        var listed = before.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("id").GetString() == incident.Id);
        Assert.False(listed.GetProperty("isMember").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("Damian Okafor: search nodes OOM &amp; restarting", draft, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_and_its_api_do_not_exist_when_the_bot_runs_with_real_credentials()
    {
        // Arrange
        await using var bot = await BotHost.StartAsync(new BotHostOptions());

        // Act
        var page = await bot.Http.GetAsync("/");
        var api = await bot.Http.GetAsync("/sandbox/api/state");

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
    }

    [Fact]
    public async Task The_page_is_served_at_the_root_in_the_sandbox_with_the_people_to_choose_from()
    {
        // Arrange
        await using var sandbox = await SandboxRun.StartAsync();

        // Act
        var html = await sandbox.Http.GetStringAsync("/");
        var css = await sandbox.Http.GetAsync("/sandbox/page.css");
        var js = await sandbox.Http.GetAsync("/sandbox/page.js");

        // Assert
        Assert.All(SandboxWorkspace.People, p => Assert.Contains(p.RealName, html, StringComparison.Ordinal));
        Assert.Contains("<main", html, StringComparison.Ordinal);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.Equal("text/javascript", js.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("*bold* and _italic_ and `code &lt;b&gt;`", "<strong>bold</strong> and <em>italic</em> and <code>code &lt;b&gt;</code>")]
    [InlineData("see <https://example.com/a?b=1&amp;c=2|the &lt;dashboard&gt;>", "see <a href=\"https://example.com/a?b=1&amp;c=2\" target=\"_blank\" rel=\"noopener noreferrer\">the &lt;dashboard&gt;</a>")]
    [InlineData("<javascript:alert(1)|click>", "click")]
    [InlineData("<@U0HENRY001> in <#C1> at <!date^1700000000^{time}|10:00>", "<span class=\"mention\">@Henry Clifford</span> in <span class=\"mention\">#ops</span> at 10:00")]
    [InlineData("\"quoted\" 'x' :pushpin:", "&quot;quoted&quot; &#39;x&#39; 📌")]
    public void Slack_text_becomes_safe_html(string mrkdwn, string html)
    {
        var render = new MrkdwnHtml(id => id == "U0HENRY001" ? "Henry Clifford" : null, id => id == "C1" ? "ops" : null);

        Assert.Equal(html, render.Text(mrkdwn));
    }

    [Fact]
    public void A_draft_renders_from_markdown_with_its_html_escaped_and_unsafe_links_dropped()
    {
        var html = DraftHtml.Render("## Timeline\n\n- 10:00 — Henry: <img src=x onerror=alert(1)> [x](javascript:alert(1))\n");

        Assert.Contains("<h2>Timeline</h2>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> StateAsync(SandboxRun sandbox, string channel, string user = Henry) =>
        await sandbox.Http.GetFromJsonAsync<JsonElement>($"sandbox/api/state?user={user}&channel={channel}");
}
