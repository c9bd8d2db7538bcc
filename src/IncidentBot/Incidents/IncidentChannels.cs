using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents;

/// <summary>Answers the timeline's questions about incidents from the incidents table.</summary>
internal sealed class IncidentChannels(IncidentBotDbContext db) : IIncidentChannels
{
    public Task<int?> LiveIncidentInAsync(string? channelId, CancellationToken cancellationToken) =>
        channelId is null
            ? Task.FromResult<int?>(null)
            : db.Incidents.Where(i => i.ChannelId == channelId && i.Status == IncidentStatus.Live).Select(i => (int?)i.Id).FirstOrDefaultAsync(cancellationToken);

    public Task<string?> ChannelOfAsync(int incidentId, CancellationToken cancellationToken) =>
        db.Incidents.Where(i => i.Id == incidentId).Select(i => i.ChannelId).FirstOrDefaultAsync(cancellationToken);
}
