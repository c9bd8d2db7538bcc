using IncidentBot.People;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents;

/// <summary>
/// Who may steer an incident (close, reopen, hand over the lead, set the severity): <see cref="IncidentsOptions.Responders"/>,
/// or anyone when none are configured. Adding to the record stays open to everyone in the channel.
/// </summary>
public sealed class Responders(IOptions<IncidentsOptions> options, PeopleList people)
{
    public Task<bool> MayAsync(string userId, CancellationToken cancellationToken) =>
        people.IncludesAsync(options.Value.Responders, userId, cancellationToken);

    /// <summary>What a refused person is told: who may, and that nothing changed.</summary>
    public string Refusal(string what) =>
        $":no_entry: Only responders ({PeopleList.Who(options.Value.Responders)}) may {what}; nothing was changed. You can still add to the timeline.";
}
