using NetArchTest.Rules;

namespace IncidentBot.Tests;

/// <summary>
/// The slices of the bot and the one way their dependencies run (README, "Architecture"), read from the compiled
/// code: a <c>using</c> that breaks the rule fails here, naming the type.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>Each capability, lowest first, with what it may use. Anything not listed is forbidden to it.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> MayUse = new Dictionary<string, string[]>
    {
        ["Telemetry"] = [],
        ["Management"] = [],
        ["Hosting"] = [],
        ["Slack"] = ["Telemetry"],
        ["Storage"] = ["Telemetry"],
        ["BackgroundJobs"] = ["Telemetry", "Storage"],
        ["ExactlyOnce"] = ["Telemetry", "Slack", "Storage", "BackgroundJobs"],
        ["DeadLetters"] = ["Telemetry", "Slack", "Storage", "BackgroundJobs"],
        ["People"] = ["Telemetry", "Slack", "Storage", "BackgroundJobs", "ExactlyOnce"],
        ["Timeline"] = ["Telemetry", "Slack", "Storage", "BackgroundJobs", "ExactlyOnce", "People"],
        ["Incidents"] = ["Telemetry", "Slack", "Storage", "BackgroundJobs", "ExactlyOnce", "People", "Timeline"],
        ["PostMortems"] = ["Telemetry", "Slack", "Storage", "BackgroundJobs", "ExactlyOnce", "People", "Timeline", "Incidents"],
        ["Review"] = ["Telemetry", "Slack", "Storage", "BackgroundJobs", "ExactlyOnce", "People", "Timeline", "Incidents", "PostMortems"],
        ["AppHome"] = ["Telemetry", "Slack", "Storage", "BackgroundJobs", "ExactlyOnce", "People", "Timeline", "Incidents"],
        ["Sandbox"] = ["Telemetry", "Slack", "Storage", "BackgroundJobs", "ExactlyOnce", "People", "Timeline", "Incidents", "PostMortems", "Review", "AppHome", "SlackFake"],
        // EF's compiled model of every capability's entities; nothing uses it by name (EF finds it by its attribute).
        ["CompiledModels"] = ["Storage", "BackgroundJobs", "ExactlyOnce", "DeadLetters", "People", "Timeline", "Incidents", "PostMortems"],
    };

    /// <summary>Slices outside the bot's own folders: the fake Slack is only ever the sandbox's.</summary>
    private static readonly string[] Elsewhere = ["SlackFake"];

    public static TheoryData<string> Slices => [.. MayUse.Keys];

    [Theory]
    [MemberData(nameof(Slices))]
    public void A_slice_uses_only_the_slices_below_it(string slice)
    {
        var forbidden = MayUse.Keys.Concat(Elsewhere).Except(MayUse[slice]).Where(other => other != slice);

        var broken = forbidden
            .SelectMany(other => (InSlice(slice).ShouldNot().HaveDependencyOnAny(Namespace(other)).GetResult().FailingTypes ?? [])
                .Select(type => $"{type.FullName} uses {Namespace(other)}"))
            .ToList();

        Assert.True(broken.Count == 0, $"{slice} may use {Describe(MayUse[slice])}, but: {string.Join("; ", broken)}");
    }

    [Fact]
    public void The_dependencies_between_slices_have_no_cycle()
    {
        // Read the real graph (not the table above), then look for a cycle in it.
        var uses = MayUse.Keys.ToDictionary(
            slice => slice,
            slice => MayUse.Keys.Where(other => other != slice && !InSlice(slice).ShouldNot().HaveDependencyOnAny(Namespace(other)).GetResult().IsSuccessful).ToList());

        var cycle = FindCycle(uses);

        Assert.True(cycle is null, $"The slices depend on each other in a circle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void The_product_never_reaches_the_fake_slack_except_through_the_sandbox()
    {
        var result = Types.InAssembly(typeof(Program).Assembly)
            .That().DoNotResideInNamespaceMatching(@"^IncidentBot\.Sandbox(\..*)?$")
            .ShouldNot().HaveDependencyOnAny(Namespace("SlackFake"))
            .GetResult();

        Assert.True(result.IsSuccessful, $"Only Sandbox/ may use the fake Slack, but: {string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? [])}");
    }

    private static PredicateList InSlice(string slice) =>
        Types.InAssembly(typeof(Program).Assembly).That().ResideInNamespaceMatching($@"^IncidentBot\.{slice}(\..*)?$");

    private static string Namespace(string slice) => $"IncidentBot.{slice}";

    private static string Describe(string[] slices) => slices.Length == 0 ? "no other slice" : "only " + string.Join(", ", slices);

    private static List<string>? FindCycle(Dictionary<string, List<string>> uses)
    {
        var done = new HashSet<string>();
        var path = new List<string>();

        List<string>? Visit(string slice)
        {
            var at = path.IndexOf(slice);
            if (at >= 0)
            {
                return [.. path.Skip(at), slice];
            }

            if (!done.Add(slice))
            {
                return null;
            }

            path.Add(slice);
            foreach (var used in uses[slice])
            {
                if (Visit(used) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return uses.Keys.Select(Visit).FirstOrDefault(cycle => cycle is not null);
    }
}
