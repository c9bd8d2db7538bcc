using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents;

/// <summary>
/// Answers the timeline's questions about incidents from the incidents table; on SQLite, which channel is a live
/// incident's from the cache (asked on every message event).
/// </summary>
internal sealed class IncidentChannels(IncidentBotDbContext db, LiveIncidentChannelCache cache, DatabaseLocation location) : IIncidentChannels
{
    public Task<int?> LiveIncidentInAsync(string? channelId, CancellationToken cancellationToken) =>
        channelId is null ? Task.FromResult<int?>(null)
        : !location.IsPostgreSql ? cache.GetOrLoadAsync(channelId, () => LiveIncidentInDatabaseAsync(channelId, cancellationToken))
        : LiveIncidentInDatabaseAsync(channelId, cancellationToken);

    public Task<string?> ChannelOfAsync(int incidentId, CancellationToken cancellationToken) =>
        db.Incidents.Where(i => i.Id == incidentId).Select(i => i.ChannelId).FirstOrDefaultAsync(cancellationToken);

    // Compiled once: asked on every message event where there is no cache (PostgreSQL), and EF's translation of the
    // query each time cost more than the database's answer.
    private static readonly Func<IncidentBotDbContext, string, CancellationToken, Task<int?>> LiveIncidentIn = EF.CompileAsyncQuery(
        (IncidentBotDbContext db, string channelId, CancellationToken cancellationToken) =>
            db.Set<Incident>().AsNoTracking().Where(i => i.ChannelId == channelId && i.Status == IncidentStatus.Live).Select(i => (int?)i.Id).FirstOrDefault());

    private Task<int?> LiveIncidentInDatabaseAsync(string channelId, CancellationToken cancellationToken) => LiveIncidentIn(db, channelId, cancellationToken);
}
