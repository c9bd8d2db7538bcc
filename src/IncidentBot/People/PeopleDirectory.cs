using Hangfire;
using IncidentBot.Storage;
using IncidentBot.Slack.WebApi;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.People;

/// <summary>
/// People's names for the record, from users.info (real name, else display name), kept in the database. Asking Slack
/// is slow, so on the request path an unknown person is only queued for a job; jobs resolve names directly.
/// </summary>
public sealed class PeopleDirectory(IncidentBotDbContext db, ISlackApiClient slack, IBackgroundJobClient jobs, KnownPeople knownPeople, TimeProvider time)
{
    /// <summary>On the request path: queues a lookup for someone not known yet.</summary>
    public async Task EnsureKnownAsync(string? userId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userId) || knownPeople.Contains(userId))
        {
            return;
        }

        if (await db.People.AnyAsync(p => p.UserId == userId, cancellationToken))
        {
            knownPeople.Add(userId);
        }
        else
        {
            jobs.Enqueue<ResolvePersonJob>(job => job.RunAsync(userId, CancellationToken.None));
        }
    }

    /// <summary>On the request path: the names already known, without asking Slack (the caller shows an id for the rest).</summary>
    public async Task<Dictionary<string, string>> KnownAsync(IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct().ToList();
        return await db.People.AsNoTracking().Where(p => ids.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, p => p.Name, cancellationToken);
    }

    /// <summary>
    /// In a job: names for these ids, asking Slack for those not known yet (all of them with <paramref name="refresh"/>).
    /// An id Slack will not name (user_not_found, a bot id) is left out: the caller shows the id.
    /// </summary>
    public async Task<Dictionary<string, string>> ResolveAsync(IEnumerable<string> userIds, bool refresh, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct().ToList();
        var known = await db.People.Where(p => ids.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, cancellationToken);
        foreach (var id in ids.Where(id => (refresh || !known.ContainsKey(id)) && (id.StartsWith('U') || id.StartsWith('W'))))
        {
            SlackUser user;
            try
            {
                user = (await slack.Users.InfoAsync(new UserInfoRequest { User = id }, cancellationToken)).User;
            }
            catch (SlackApiException)
            {
                continue;
            }

            if (known.TryGetValue(id, out var person))
            {
                person.Name = user.DisplayName;
                person.FetchedAt = time.GetUtcNow().UtcDateTime;
            }
            else
            {
                known[id] = db.People.Add(new Person { UserId = id, Name = user.DisplayName, FetchedAt = time.GetUtcNow().UtcDateTime }).Entity;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another job stored the same person first: its answer is as good as ours.
            db.ChangeTracker.Clear();
        }

        return known.ToDictionary(pair => pair.Key, pair => pair.Value.Name);
    }
}
