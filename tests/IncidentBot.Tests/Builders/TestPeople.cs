using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.Tests.Builders;

/// <summary>The people of the incident tests' workspace: their ids, and who they are to Slack.</summary>
public static class TestPeople
{
    public const string Ana = "U0ANA00001";
    public const string Ben = "U0BEN00001";

    private static readonly Dictionary<string, (string Name, string RealName)> Known = new()
    {
        [Ana] = ("ana", "Ana Lima"),
        [Ben] = ("ben", "Ben Okoro"),
    };

    /// <summary>Adds the person <paramref name="id"/> (one of the constants above) to <paramref name="workspace"/>.</summary>
    public static void AddTo(FakeWorkspace workspace, string id)
    {
        var (name, realName) = Known[id];
        workspace.AddUser(id, name, realName);
    }
}
