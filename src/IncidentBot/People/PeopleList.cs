using System.Collections.Concurrent;
using IncidentBot.Slack.WebApi;

namespace IncidentBot.People;

/// <summary>
/// Whether a person is on a configured list of Slack user ids and user group ids (reviewers, responders). User groups
/// are asked of Slack and their members kept a minute, since this answers within an interaction's 3 seconds. When
/// Slack cannot tell, the answer is no: a list is never read wider than configured.
/// </summary>
public sealed partial class PeopleList(ISlackApiClient slack, UserGroupMembers groups, TimeProvider time, ILogger<PeopleList> logger)
{
    private static readonly TimeSpan KeepGroups = TimeSpan.FromMinutes(1);

    /// <summary>How a reply names who is on the list (a group as Slack shows it).</summary>
    public static string Who(IEnumerable<string> ids) => string.Join(", ", ids.Select(id => id.StartsWith('S') ? $"<!subteam^{id}>" : $"<@{id}>"));

    /// <summary>True when <paramref name="userId"/> is on <paramref name="ids"/>, or the list is empty (no one is singled out).</summary>
    public async Task<bool> IncludesAsync(IReadOnlyCollection<string> ids, string userId, CancellationToken cancellationToken)
    {
        if (ids.Count == 0 || ids.Contains(userId, StringComparer.Ordinal))
        {
            return true;
        }

        foreach (var group in ids.Where(r => r.StartsWith('S')))
        {
            if ((await MembersAsync(group, cancellationToken))?.Contains(userId) == true)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<HashSet<string>?> MembersAsync(string group, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (groups.Members.TryGetValue(group, out var kept) && now - kept.At < KeepGroups)
        {
            return kept.Users;
        }

        try
        {
            var users = (await slack.Usergroups.UsersListAsync(new UsergroupUsersRequest { Usergroup = group }, cancellationToken)).Users.ToHashSet(StringComparer.Ordinal);
            groups.Members[group] = (now, users);
            return users;
        }
        catch (SlackApiException exception)
        {
            Log.GroupUnknown(logger, exception, group);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Could not read the members of user group {Group}; its members are not counted in until Slack answers")]
        public static partial void GroupUnknown(ILogger logger, Exception exception, string group);
    }
}

/// <summary>The members of configured user groups as Slack last told them, for every request of this process.</summary>
public sealed class UserGroupMembers
{
    internal ConcurrentDictionary<string, (DateTimeOffset At, HashSet<string> Users)> Members { get; } = new(StringComparer.Ordinal);
}
