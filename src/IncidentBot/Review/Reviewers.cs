using System.Collections.Concurrent;
using IncidentBot.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace IncidentBot.Review;

/// <summary>
/// Whether a person may change an incident's record in review (<see cref="ReviewOptions.Reviewers"/>). User groups
/// are asked of Slack and their members kept a minute, since this answers within an interaction's 3 seconds. When
/// Slack cannot tell, the answer is no: a review is never opened wider than configured.
/// </summary>
public sealed partial class Reviewers(IOptions<ReviewOptions> options, ISlackApiClient slack, ReviewerGroups groups, TimeProvider time, ILogger<Reviewers> logger)
{
    private static readonly TimeSpan KeepGroups = TimeSpan.FromMinutes(1);

    public bool AnyoneMay => options.Value.Reviewers.Count == 0;

    /// <summary>How the modal names who may change entries, when not everyone may.</summary>
    public string Who => string.Join(", ", options.Value.Reviewers.Select(id => id.StartsWith('S') ? $"<!subteam^{id}>" : $"<@{id}>"));

    public async Task<bool> MayChangeAsync(string userId, CancellationToken cancellationToken)
    {
        var reviewers = options.Value.Reviewers;
        if (reviewers.Count == 0 || reviewers.Contains(userId, StringComparer.Ordinal))
        {
            return true;
        }

        foreach (var group in reviewers.Where(r => r.StartsWith('S')))
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
        [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Could not read the members of reviewer group {Group}; its members may not change entries until Slack answers")]
        public static partial void GroupUnknown(ILogger logger, Exception exception, string group);
    }
}

/// <summary>The members of reviewer groups as Slack last told them, for every request of this process.</summary>
public sealed class ReviewerGroups
{
    internal ConcurrentDictionary<string, (DateTimeOffset At, HashSet<string> Users)> Members { get; } = new(StringComparer.Ordinal);
}
