using Hangfire;
using IncidentBot.Data;
using IncidentBot.Slack.WebApi;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.People;

/// <summary>Fetches a person's name from users.info (real name, else display name) and keeps it.</summary>
public sealed class ResolvePersonJob(IncidentBotDbContext db, ISlackApiClient slack, TimeProvider time)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(string userId, CancellationToken cancellationToken)
    {
        var user = (await slack.Users.InfoAsync(new UserInfoRequest { User = userId }, cancellationToken)).User;
        var person = await db.People.FirstOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        if (person is null)
        {
            db.People.Add(new Person { UserId = userId, Name = user.DisplayName, FetchedAt = time.GetUtcNow().UtcDateTime });
        }
        else
        {
            person.Name = user.DisplayName;
            person.FetchedAt = time.GetUtcNow().UtcDateTime;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another job resolved the same person first: its answer is as good as ours.
        }
    }
}
