using IncidentBot.SlackFake.Driver;

namespace IncidentBot.SlackFake.Scenarios;

/// <summary>
/// Replays a scenario through the fake Slack's driver, so the bot receives exactly what Slack would send, signed.
/// The caller owns the clock: <paramref name="setClock"/> moves it to each step's instant before the step.
/// </summary>
public sealed class ScenarioPlayer(FakeSlackServer slack, Action<DateTimeOffset> setClock)
{
    /// <summary>Adds the scenario's people and channel (with the bot in it) unless they exist; returns the channel id.</summary>
    public string Prepare(Scenario scenario)
    {
        foreach (var user in scenario.Users.Where(u => slack.Workspace.FindUser(u.Id) is null))
        {
            slack.Workspace.AddUser(user.Id, user.Handle, user.RealName);
        }

        var channel = slack.Workspace.FindChannelByName(scenario.ChannelName)
                      ?? slack.Workspace.CreateChannel(scenario.ChannelName, false, [slack.Options.BotUserId, .. scenario.Users.Select(u => u.Id)]);
        return channel.Id;
    }

    /// <summary>Plays <paramref name="steps"/> (all of the scenario's by default); <paramref name="afterStep"/> runs after each.</summary>
    public async Task<ScenarioRun> PlayAsync(
        Scenario scenario,
        Func<ScenarioStep, ScenarioRun, Task>? afterStep = null,
        IEnumerable<ScenarioStep>? steps = null,
        ScenarioRun? resume = null,
        CancellationToken cancellationToken = default)
    {
        var run = resume ?? new ScenarioRun(Prepare(scenario));
        foreach (var step in steps ?? scenario.Steps)
        {
            setClock(step.At);
            await PlayStepAsync(step, run, cancellationToken);
            if (afterStep is not null)
            {
                await afterStep(step, run);
            }
        }

        return run;
    }

    private Workspace.FakeView OpenView(string userId) =>
        slack.Driver.OpenViewOf(userId) ?? throw new InvalidOperationException($"{userId} has no modal open: the step before should have opened one.");

    private async Task PlayStepAsync(ScenarioStep step, ScenarioRun run, CancellationToken cancellationToken)
    {
        var driver = slack.Driver;
        switch (step)
        {
            case Say say:
                var posted = await driver.PostMessageAsync(say.UserId, run.ChannelId, say.Text, say.InThreadOf is null ? null : run.Ts(say.InThreadOf), cancellationToken);
                run.Record(say.Label, posted.Ts, posted.Deliveries);
                break;
            case React react:
                run.Record(await driver.AddReactionAsync(react.UserId, run.ChannelId, run.Ts(react.Label), react.Emoji, cancellationToken));
                break;
            case Unreact unreact:
                run.Record(await driver.RemoveReactionAsync(unreact.UserId, run.ChannelId, run.Ts(unreact.Label), unreact.Emoji, cancellationToken));
                break;
            case Edit edit:
                run.Record(await driver.EditMessageAsync(edit.UserId, run.ChannelId, run.Ts(edit.Label), edit.NewText, cancellationToken));
                break;
            case Delete delete:
                run.Record(await driver.DeleteMessageAsync(delete.UserId, run.ChannelId, run.Ts(delete.Label), cancellationToken));
                break;
            case Command command:
                run.Commands.Add(await driver.SendSlashCommandAsync(command.UserId, run.ChannelId, command.Name, command.Text, cancellationToken));
                break;
            case ClickInModal click:
                var (blockId, actionId) = ModalReading.Button(OpenView(click.UserId).View, click.Button, click.Near);
                run.Modals.Add(await driver.ClickViewButtonAsync(click.UserId, OpenView(click.UserId).Id, actionId, blockId, cancellationToken));
                break;
            case FillInModal fill:
                var input = ModalReading.Input(OpenView(fill.UserId).View, fill.Label);
                driver.SetViewValue(fill.UserId, OpenView(fill.UserId).Id, input.BlockId, input.ActionId, fill.Value);
                break;
            case SubmitModal submit:
                run.Modals.Add(await driver.SubmitViewAsync(submit.UserId, OpenView(submit.UserId).Id, cancellationToken));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step, "Unknown scenario step.");
        }
    }
}

/// <summary>What a replay produced: each labelled message's ts, every event delivery, every command's answer.</summary>
public sealed class ScenarioRun(string channelId)
{
    private readonly Dictionary<string, string> _ts = [];

    public string ChannelId { get; } = channelId;

    public List<EventDeliveryResult> Events { get; } = [];

    public List<SlashCommandResult> Commands { get; } = [];

    /// <summary>What each click and submission in a modal led to.</summary>
    public List<ViewInteractionResult> Modals { get; } = [];

    public string Ts(string label) =>
        _ts.TryGetValue(label, out var ts) ? ts : throw new InvalidOperationException($"No message labelled '{label}' has been posted yet.");

    internal void Record(string label, string ts, IEnumerable<EventDeliveryResult> deliveries)
    {
        _ts[label] = ts;
        Events.AddRange(deliveries);
    }

    internal void Record(HumanActionResult result) => Events.AddRange(result.Deliveries);
}
