namespace IncidentBot.Tests.Replicas;

/// <summary>
/// Tests that run several bot processes at once: alone, after the parallel ones, so that their processes and the
/// others' do not share two cores at once and Slack's 3-second deadlines measure the bot rather than the crowd.
/// </summary>
[CollectionDefinition(nameof(ReplicasCollection), DisableParallelization = true)]
public sealed class ReplicasCollection;
