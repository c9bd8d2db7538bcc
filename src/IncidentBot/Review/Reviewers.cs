using IncidentBot.People;
using Microsoft.Extensions.Options;

namespace IncidentBot.Review;

/// <summary>Whether a person may change an incident's record in review (<see cref="ReviewOptions.Reviewers"/>).</summary>
public sealed class Reviewers(IOptions<ReviewOptions> options, PeopleList people)
{
    public bool AnyoneMay => options.Value.Reviewers.Count == 0;

    /// <summary>How the modal names who may change entries, when not everyone may.</summary>
    public string Who => PeopleList.Who(options.Value.Reviewers);

    public Task<bool> MayChangeAsync(string userId, CancellationToken cancellationToken) =>
        people.IncludesAsync(options.Value.Reviewers, userId, cancellationToken);
}
