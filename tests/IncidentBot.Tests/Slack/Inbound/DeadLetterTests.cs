using System.Text.Json;
using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.DeadLetters;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Payloads;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Slack.Inbound;

/// <summary>An event whose handler keeps failing: dead-lettered on Slack's third attempt, shown, and replayed by the sweep once fixed.</summary>
public sealed class DeadLetterTests : IAsyncLifetime
{
    private readonly Fault _fault = new();
    private SlackTestbed _testbed = null!;

    public async Task InitializeAsync()
    {
        _testbed = await SlackTestbed.StartAsync(configure: options => options with
        {
            ConfigureServices = services => services.AddSingleton(_fault),
            ConfigureSlack = slack => slack.AddEventHandler<ReactionAdded, FlakyReactions>(),
        });
        _testbed.Slack.Workspace.AddUser("U0ANA", "ana", "Ana Lima");
        _testbed.Slack.Workspace.CreateChannel("general", false, "U0ANA", _testbed.Slack.Options.BotUserId);
    }

    public async Task DisposeAsync() => await _testbed.DisposeAsync();

    [Fact]
    public async Task A_poison_event_is_acknowledged_on_retry_2_kept_shown_and_replayed_once_the_fault_clears()
    {
        var general = _testbed.ChannelId("general");
        var posted = await _testbed.Slack.Driver.PostMessageAsync("U0ANA", general, "pin me");
        _fault.On = true;

        var reaction = await _testbed.Slack.Driver.AddReactionAsync("U0ANA", general, posted.Ts, "pushpin");

        var delivery = Assert.Single(reaction.Deliveries).Delivery;
        Assert.Equal([(0, 500), (1, 500), (2, 200)], delivery.Attempts.Select(a => (a.RetryNum, a.StatusCode ?? 0)));
        var letter = Assert.Single(await _testbed.QueryAsync(db => db.DeadLetters.ToListAsync()));
        Assert.Equal(("reaction_added", "InvalidOperationException: the search index is down"), (letter.Type, letter.LastError));
        Assert.DoesNotContain("\"token\"", letter.Body, StringComparison.Ordinal);
        Assert.Equal(1, _testbed.Bot.Services.GetRequiredService<DeadLetterCounter>().DeadLetterCount);
        Assert.Equal("Degraded", await DeadLettersCheckAsync());

        // Still failing: the replay keeps it, with its error.
        await SweepAsync();
        letter = Assert.Single(await _testbed.QueryAsync(db => db.DeadLetters.ToListAsync()));
        Assert.Equal(1, letter.Replays);
        Assert.Empty(_fault.Handled);

        _fault.On = false;
        await SweepAsync(afterStart: true);

        Assert.Equal([posted.Ts], _fault.Handled);
        Assert.Empty(await _testbed.QueryAsync(db => db.DeadLetters.ToListAsync()));
        Assert.Equal("Healthy", await DeadLettersCheckAsync());
        Assert.Equal(0, _testbed.Bot.Services.GetRequiredService<DeadLetterCounter>().DeadLetterCount);
    }

    private async Task SweepAsync(bool afterStart = false)
    {
        await using (var scope = _testbed.Bot.Services.CreateAsyncScope())
        {
            await ActivatorUtilities.CreateInstance<SweepUnfinishedWorkJob>(scope.ServiceProvider).RunAsync(afterStart, CancellationToken.None);
        }

        await _testbed.Bot.Jobs.RunAllAsync();
    }

    private async Task<string?> DeadLettersCheckAsync()
    {
        using var response = await _testbed.Bot.Management.GetAsync("healthz/ready");
        using var details = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return details.RootElement.GetProperty("checks").GetProperty("dead-letters").GetProperty("status").GetString();
    }

    public sealed class Fault
    {
        public volatile bool On;

        public List<string> Handled { get; } = [];
    }

    private sealed class FlakyReactions(Fault fault) : IEventHandler<ReactionAdded>
    {
        public Task HandleAsync(ReactionAdded slackEvent, CancellationToken cancellationToken)
        {
            if (fault.On)
            {
                throw new InvalidOperationException("the search index is down");
            }

            lock (fault.Handled)
            {
                fault.Handled.Add(slackEvent.Item.Ts!);
            }

            return Task.CompletedTask;
        }
    }
}
