namespace IncidentBot.SlackFake.Scenarios;

/// <summary>A conversation to replay through the fake Slack: who is there, and what each of them does, when.</summary>
public sealed record Scenario(string ChannelName, IReadOnlyList<ScenarioUser> Users, IReadOnlyList<ScenarioStep> Steps);

public sealed record ScenarioUser(string Id, string Handle, string RealName);

/// <summary>One thing a person does at a given instant (UTC). Messages are named by a label so later steps can point at them.</summary>
public abstract record ScenarioStep(DateTimeOffset At, string UserId);

/// <summary>A message; <paramref name="InThreadOf"/> names the thread's parent.</summary>
public sealed record Say(DateTimeOffset At, string UserId, string Label, string Text, string? InThreadOf = null) : ScenarioStep(At, UserId);

public sealed record React(DateTimeOffset At, string UserId, string Label, string Emoji) : ScenarioStep(At, UserId);

public sealed record Unreact(DateTimeOffset At, string UserId, string Label, string Emoji) : ScenarioStep(At, UserId);

public sealed record Edit(DateTimeOffset At, string UserId, string Label, string NewText) : ScenarioStep(At, UserId);

public sealed record Delete(DateTimeOffset At, string UserId, string Label) : ScenarioStep(At, UserId);

/// <summary>A slash command typed in the scenario's channel, e.g. <c>/incident start Consumer app outage</c>.</summary>
public sealed record Command(DateTimeOffset At, string UserId, string Line) : ScenarioStep(At, UserId)
{
    public string Name => Line.Split(' ', 2)[0];

    public string Text => Line.Split(' ', 2) is [_, var text] ? text : "";
}

/// <summary>
/// A click in the modal the person has open: the button labelled <paramref name="Button"/>, in the first actions block
/// after the section that contains <paramref name="Near"/> (as a person finds an entry's Edit), or anywhere when null.
/// </summary>
public sealed record ClickInModal(DateTimeOffset At, string UserId, string Button, string? Near = null) : ScenarioStep(At, UserId);

/// <summary>Typing <paramref name="Value"/> into the input labelled <paramref name="Label"/> of the modal the person has open.</summary>
public sealed record FillInModal(DateTimeOffset At, string UserId, string Label, string Value) : ScenarioStep(At, UserId);

/// <summary>The submit button of the modal the person has open.</summary>
public sealed record SubmitModal(DateTimeOffset At, string UserId) : ScenarioStep(At, UserId);
