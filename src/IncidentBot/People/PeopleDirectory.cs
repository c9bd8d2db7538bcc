using Hangfire;
using IncidentBot.Data;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.People;

/// <summary>
/// People's names for the record. Asking Slack (users.info) is slow, so it never happens on the request path:
/// an unknown person is looked up by a job, and the answer is kept.
/// </summary>
public sealed class PeopleDirectory(IncidentBotDbContext db, IBackgroundJobClient jobs)
{
    public async Task EnsureKnownAsync(string? userId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(userId) && !await db.People.AnyAsync(p => p.UserId == userId, cancellationToken))
        {
            jobs.Enqueue<ResolvePersonJob>(job => job.RunAsync(userId, CancellationToken.None));
        }
    }

    /// <summary>Known names for these ids; ids not yet resolved are absent.</summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct().ToList();
        return await db.People.Where(p => ids.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, p => p.Name, cancellationToken);
    }
}
