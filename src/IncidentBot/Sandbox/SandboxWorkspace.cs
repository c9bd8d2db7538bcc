using IncidentBot.SlackFake;

namespace IncidentBot.Sandbox;

/// <summary>The people and channels a sandbox starts with: the seed incident's team, and a channel for drafts.</summary>
public static class SandboxWorkspace
{
    public static IReadOnlyList<(string Id, string Handle, string RealName)> People { get; } =
    [
        ("U0HENRY001", "henry", "Henry Clifford"),
        ("U0DAMIAN01", "damian", "Damian Okafor"),
        ("U0JOSH0001", "josh", "Josh Pereira"),
        ("U0PRIYA001", "priya", "Priya Raman"),
    ];

    public const string PostmortemsChannel = "postmortems";

    /// <summary>Creates the people and channels; returns the id of the post-mortem channel.</summary>
    public static string Seed(FakeSlackServer slack)
    {
        foreach (var (id, handle, realName) in People)
        {
            slack.Workspace.AddUser(id, handle, realName);
        }

        var everyone = People.Select(p => p.Id).Append(slack.Options.BotUserId).ToArray();
        slack.Workspace.CreateChannel("general", false, everyone);
        slack.Workspace.CreateChannel("consumer-eng", false, everyone);
        return slack.Workspace.CreateChannel(PostmortemsChannel, false, everyone).Id;
    }
}
