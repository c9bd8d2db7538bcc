using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Faults;
using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.ExactlyOnce;

/// <summary>
/// Two installations of the bot (staging and production, say) with one Slack app in one channel: each numbers its
/// incidents and entries from 1, so their writes have the same logical keys. Neither ever takes the other's post for
/// its own when it looks for a post whose answer it lost.
/// </summary>
public sealed class InstallsSharingAChannelTests
{
    private const string Ana = "U0ANA00001";

    [Fact]
    public async Task A_post_whose_answer_was_lost_is_never_matched_to_another_installs_post()
    {
        // Arrange: one fake Slack, one app; production has noted something in #ops, so its echo of entry 2 is there.
        await using var slack = await FakeSlackServer.StartNewAsync(new FakeSlackOptions());
        slack.Workspace.AddUser(Ana, "ana", "Ana Lima");
        var ops = slack.Workspace.CreateChannel("ops", false, Ana, slack.Options.BotUserId).Id;
        var drafts = slack.Workspace.CreateChannel("postmortems", false, slack.Options.BotUserId).Id;
        BotHostOptions Install() => new BotHostOptions
        {
            BotToken = slack.Options.BotToken,
            SigningSecret = slack.Options.SigningSecret,
            SlackApiBaseUrl = slack.ApiBaseUrl,
            Settings = { ["Incidents:PostmortemChannel"] = drafts },
        }.InDeclaringChannel();
        await using var production = await BotHost.StartAsync(Install());
        await NoteAsync(slack, production, ops, "Rolled back the 14:00 release");

        // Act: staging notes something too; its first post of the echo fails before Slack takes it, so staging looks
        // for its own earlier attempt (same app, same logical key "timeline/2/echo") before sending again.
        await using var staging = await BotHost.StartAsync(Install());
        await NoteAsync(slack, staging, ops, "Paused the deploy pipeline", () => slack.Faults.Enqueue("chat.postMessage", Fault.ServerError(500)));

        // Assert: both notes are in the channel, each install's echo its own.
        var notes = slack.Workspace.Messages(ops).Where(m => m.Text.StartsWith(":memo: Note from", StringComparison.Ordinal)).Select(m => m.Text).ToList();
        Assert.Equal(2, notes.Count);
        Assert.Contains(notes, n => n.EndsWith("Rolled back the 14:00 release", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.EndsWith("Paused the deploy pipeline", StringComparison.Ordinal));
        // Each install's incident card, production's echo, and staging's two attempts at its echo.
        Assert.Equal(5, slack.Calls.Count("chat.postMessage"));
    }

    /// <summary>Starts an incident (its card posted), then notes <paramref name="note"/>, <paramref name="beforeNote"/> between the two.</summary>
    private static async Task NoteAsync(FakeSlackServer slack, BotHost bot, string channel, string note, Action? beforeNote = null)
    {
        slack.ConnectBot(bot.BaseUrl);
        await slack.Driver.SendSlashCommandAsync(Ana, channel, "/incident", "start Checkout down");
        await slack.WhenIdleAsync();
        await bot.Jobs.RunAllAsync();
        beforeNote?.Invoke();
        await slack.Driver.SendSlashCommandAsync(Ana, channel, "/incident", "note " + note);
        await slack.WhenIdleAsync();
        await bot.Jobs.RunAllAsync();
        await slack.WhenIdleAsync();
    }
}
