namespace IncidentBot.SlackFake.Workspace;

/// <summary>User groups (<c>S…</c>): a handle and members, as an admin sets them up.</summary>
public sealed partial class FakeWorkspace
{
    private readonly Dictionary<string, FakeUsergroup> _usergroups = new(StringComparer.Ordinal);

    public FakeUsergroup AddUsergroup(string id, string handle, IReadOnlyList<string> members)
    {
        var group = new FakeUsergroup(id, handle, [.. members]);
        lock (_gate)
        {
            _usergroups[id] = group;
        }

        return group;
    }

    public FakeUsergroup? FindUsergroup(string id)
    {
        lock (_gate)
        {
            return _usergroups.GetValueOrDefault(id);
        }
    }
}

public sealed record FakeUsergroup(string Id, string Handle, IReadOnlyList<string> Members);
