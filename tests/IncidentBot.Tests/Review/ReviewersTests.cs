using IncidentBot.Review;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Tests.Review;

/// <summary><c>Incidents:Reviewers</c>: when set, only those people (or members of those user groups) may change the record.</summary>
public sealed class ReviewersTests : IAsyncLifetime
{
    private const string Ana = TestPeople.Ana;
    private const string Ben = TestPeople.Ben;
    private const string Group = "S0REVIEWERS";

    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = Clock.AtSeedIncident();
    private SlackTestbed _testbed = null!;
    private string _ops = "";

    public async Task InitializeAsync()
    {
        _testbed = await SlackTestbed.StartInChannelAsync(_time, "ops", [Ana, Ben], options =>
        {
            options.Settings["Incidents:Reviewers:0"] = Ben;
            options.Settings["Incidents:Reviewers:1"] = Group;
            return options;
        });
        _ops = _testbed.ChannelId("ops");
    }

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    private async Task StartAndPinAsync()
    {
        await _testbed.Slack.Driver.SendSlashCommandAsync(Ana, _ops, "/incident", "start Checkout down");
        await _testbed.SettleAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        var posted = await _testbed.Slack.Driver.PostMessageAsync(Ben, _ops, "db primary at 100% cpu");
        await _testbed.Slack.Driver.AddReactionAsync(Ana, _ops, posted.Ts, "pushpin");
        await _testbed.SettleAsync();
    }

    private async Task<ReviewModal> OpenAsync(string user)
    {
        var result = await _testbed.Slack.Driver.SendSlashCommandAsync(user, _ops, "/incident", "timeline");
        Assert.Equal(200, result.StatusCode);
        return ReviewModal.Of(_testbed, user);
    }

    private Task<long> PinnedEntryAsync() =>
        _testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Text == "db primary at 100% cpu").Select(e => e.Id).SingleAsync());

    [Fact]
    public async Task Someone_else_sees_the_record_without_buttons_and_a_hand_made_remove_changes_nothing()
    {
        await StartAndPinAsync();

        var modal = await OpenAsync(Ana);
        var entryId = await PinnedEntryAsync();
        await modal.SendButtonAsync(ReviewIds.Remove, $"entry-{entryId}-actions", entryId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Empty(modal.ActionIds);
        Assert.Contains($"Only <@{Ben}>, <!subteam^{Group}> may change this record", modal.Text, StringComparison.Ordinal);
        Assert.False(await _testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Id == entryId).Select(e => e.Removed).SingleAsync()));
        Assert.Equal(0, await _testbed.QueryAsync(db => db.TimelineRevisions.CountAsync()));
    }

    [Fact]
    public async Task A_reviewer_by_id_may_change_the_record()
    {
        await StartAndPinAsync();

        var modal = await OpenAsync(Ben);
        var entryId = await PinnedEntryAsync();
        await modal.ClickAsync(ReviewIds.Remove, $"entry-{entryId}-actions");

        Assert.True(await _testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Id == entryId).Select(e => e.Removed).SingleAsync()));
    }

    [Fact]
    public async Task A_member_of_a_reviewer_group_may_change_the_record()
    {
        _testbed.Slack.Workspace.AddUsergroup(Group, "incident-reviewers", [Ana]);
        await StartAndPinAsync();

        var modal = await OpenAsync(Ana);
        var entryId = await PinnedEntryAsync();
        await modal.ClickAsync(ReviewIds.Remove, $"entry-{entryId}-actions");

        Assert.True(await _testbed.QueryAsync(db => db.TimelineEntries.Where(e => e.Id == entryId).Select(e => e.Removed).SingleAsync()));
        Assert.Equal(Group, _testbed.Slack.Calls.Last("usergroups.users.list")!.Argument("usergroup"));
    }
}
