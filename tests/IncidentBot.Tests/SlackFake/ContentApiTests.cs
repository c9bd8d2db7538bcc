using System.Net.Http.Headers;
using System.Text;

namespace IncidentBot.Tests.SlackFake;

/// <summary>Reactions, pins, files, canvases and modals.</summary>
public sealed class ContentApiTests : FakeSlackTestBase
{
    [Fact]
    public async Task Reacting_twice_is_already_reacted()
    {
        var channel = ChannelWithBot();
        var message = Slack.Workspace.PostMessage(Alice, channel, "x");

        var first = await Api.JsonAsync("reactions.add", new { channel, timestamp = message.Ts, name = "eyes" });
        var second = await Api.JsonAsync("reactions.add", new { channel, timestamp = message.Ts, name = "eyes" });

        first.AssertOk();
        second.AssertError("already_reacted");
        Assert.Equal([Slack.Options.BotUserId], Slack.Workspace.GetMessage(channel, message.Ts).Reactions.Single().Users);
    }

    [Fact]
    public async Task Removing_a_reaction_the_bot_did_not_add_is_no_reaction()
    {
        var channel = ChannelWithBot();
        var message = Slack.Workspace.PostMessage(Alice, channel, "x");
        Slack.Workspace.AddReaction(Alice, channel, message.Ts, "eyes");
        await Api.JsonAsync("reactions.add", new { channel, timestamp = message.Ts, name = "eyes" });

        var first = await Api.JsonAsync("reactions.remove", new { channel, timestamp = message.Ts, name = "eyes" });
        var second = await Api.JsonAsync("reactions.remove", new { channel, timestamp = message.Ts, name = "eyes" });

        first.AssertOk();
        second.AssertError("no_reaction");
        Assert.Equal([Alice], Slack.Workspace.GetMessage(channel, message.Ts).Reactions.Single().Users);
    }

    [Theory]
    [InlineData(":eyes:")]
    [InlineData("")]
    public async Task Reaction_names_with_colons_or_empty_are_invalid_name(string name)
    {
        var channel = ChannelWithBot();
        var message = Slack.Workspace.PostMessage(Alice, channel, "x");

        var reply = await Api.JsonAsync("reactions.add", new { channel, timestamp = message.Ts, name });

        reply.AssertError("invalid_name");
    }

    [Fact]
    public async Task Reacting_to_an_unknown_message_is_message_not_found()
    {
        var channel = ChannelWithBot();

        var reply = await Api.JsonAsync("reactions.add", new { channel, timestamp = "1600000000.000001", name = "eyes" });

        reply.AssertError("message_not_found");
    }

    [Fact]
    public async Task Pinning_twice_is_already_pinned()
    {
        var channel = ChannelWithBot();
        var message = Slack.Workspace.PostMessage(Alice, channel, "x");

        var first = await Api.JsonAsync("pins.add", new { channel, timestamp = message.Ts });
        var second = await Api.JsonAsync("pins.add", new { channel, timestamp = message.Ts });

        first.AssertOk();
        second.AssertError("already_pinned");
        Assert.True(Slack.Workspace.GetMessage(channel, message.Ts).IsPinned);
    }

    [Fact]
    public async Task Two_step_upload_shares_the_file_in_the_channel()
    {
        var channel = ChannelWithBot();
        var content = "# Timeline\n- 09:30 declared";

        var reserved = await Api.FormAsync("files.getUploadURLExternal", new Dictionary<string, string>
        {
            ["filename"] = "timeline.md",
            ["length"] = Encoding.UTF8.GetByteCount(content).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var upload = await http.PostAsync(reserved.Str("upload_url"), new ByteArrayContent(Encoding.UTF8.GetBytes(content)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        var completed = await Api.JsonAsync("files.completeUploadExternal", new
        {
            files = new[] { new { id = reserved.Str("file_id"), title = "Timeline" } },
            channel_id = channel,
            initial_comment = "Timeline attached",
        });

        Assert.StartsWith("F", reserved.Str("file_id"));
        Assert.Equal($"OK - {Encoding.UTF8.GetByteCount(content)}", await upload.Content.ReadAsStringAsync());
        completed.AssertOk();
        var file = Assert.Single(Slack.Workspace.Files);
        Assert.Equal(content, file.ContentAsString);
        Assert.Equal("Timeline", file.Title);
        var share = Assert.Single(Slack.Workspace.Messages(channel));
        Assert.Equal("file_share", share.Subtype);
        Assert.Equal("Timeline attached", share.Text);
    }

    [Fact]
    public async Task Completing_a_file_that_was_never_uploaded_is_file_not_found()
    {
        var channel = ChannelWithBot();
        var reserved = await Api.FormAsync("files.getUploadURLExternal", new Dictionary<string, string> { ["filename"] = "a.md", ["length"] = "3" });

        var reply = await Api.JsonAsync("files.completeUploadExternal", new { files = new[] { new { id = reserved.Str("file_id") } }, channel_id = channel });

        reply.AssertError("file_not_found");
        Assert.Empty(Slack.Workspace.Messages(channel));
    }

    [Fact]
    public async Task Get_upload_url_needs_a_positive_length()
    {
        var reply = await Api.FormAsync("files.getUploadURLExternal", new Dictionary<string, string> { ["filename"] = "a.md", ["length"] = "0" });

        reply.AssertError("invalid_arguments");
    }

    [Fact]
    public async Task Canvases_are_stored_with_their_markdown()
    {
        var channel = ChannelWithBot();

        var reply = await Api.JsonAsync("canvases.create", new
        {
            title = "Post-mortem INC-1",
            document_content = new { type = "markdown", markdown = "# Post-mortem" },
            channel_id = channel,
        });

        reply.AssertOk();
        var canvas = Assert.Single(Slack.Workspace.Canvases);
        Assert.Equal(reply.Str("canvas_id"), canvas.Id);
        Assert.Equal("# Post-mortem", canvas.Markdown);
        Assert.Equal(channel, canvas.ChannelId);
    }

    [Fact]
    public async Task A_trigger_id_opens_one_modal_within_3_seconds()
    {
        var view = new
        {
            type = "modal",
            callback_id = "declare_incident",
            title = new { type = "plain_text", text = "Declare incident" },
            blocks = Array.Empty<object>(),
        };
        var fresh = Slack.Driver.IssueTriggerId(Alice);
        var stale = Slack.Driver.IssueTriggerId(Alice);

        var opened = await Api.JsonAsync("views.open", new { trigger_id = fresh, view });
        var reused = await Api.JsonAsync("views.open", new { trigger_id = fresh, view });
        Clock.Advance(TimeSpan.FromSeconds(3.5));
        var expired = await Api.JsonAsync("views.open", new { trigger_id = stale, view });
        var malformed = await Api.JsonAsync("views.open", new { trigger_id = "nonsense", view });

        opened.AssertOk();
        Assert.StartsWith("V", opened.GetProperty("view").Str("id"));
        Assert.Equal("declare_incident", opened.GetProperty("view").Str("callback_id"));
        reused.AssertError("exchanged_trigger_id");
        expired.AssertError("expired_trigger_id");
        malformed.AssertError("invalid_trigger_id");
    }
}
