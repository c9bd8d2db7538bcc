namespace IncidentBot.SlackFake.Workspace;

public sealed partial class FakeWorkspace
{
    public IReadOnlyList<FakeUser> Users
    {
        get
        {
            lock (_gate)
            {
                return [.. _users.Values];
            }
        }
    }

    /// <summary>Adds a human. Only the bot user is seeded; tests add the people they need.</summary>
    public FakeUser AddUser(string id, string name, string realName, string? displayName = null, string tz = "UTC")
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var user = new FakeUser
        {
            Id = id,
            TeamId = _options.TeamId,
            Name = name,
            RealName = realName,
            DisplayName = displayName ?? "",
            Tz = tz,
        };
        lock (_gate)
        {
            if (!_users.TryAdd(id, user))
            {
                throw new InvalidOperationException($"User {id} already exists.");
            }
        }

        return user;
    }

    public FakeUser? FindUser(string userId)
    {
        lock (_gate)
        {
            return _users.GetValueOrDefault(userId);
        }
    }

    public FakeUser GetUser(string userId) => FindUser(userId) ?? throw new FakeSlackException("user_not_found");
}
