using Hangfire;

namespace IncidentBot.People;

/// <summary>Fetches a person's name from users.info and keeps it (refreshing it if it was known).</summary>
public sealed class ResolvePersonJob(PeopleDirectory people)
{
    [AutomaticRetry(Attempts = 5)]
    public Task RunAsync(string userId, CancellationToken cancellationToken) =>
        people.ResolveAsync([userId], refresh: true, cancellationToken);
}
