using System.Data.Common;
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

    public string LiveIncidentSql => LiveIncidentSqlOf("@channelId");

    public string LiveIncidentSqlOf(string channel) => $"""SELECT "Id" FROM "Incidents" WHERE "ChannelId" = {channel} AND "Status" = @liveStatus LIMIT 1""";

    public void AddLiveIncidentParameters(DbCommand command) => command.AddParameter("@liveStatus", nameof(IncidentStatus.Live));

    public Task<string?> ChannelOfAsync(int incidentId, CancellationToken cancellationToken) =>
        db.Incidents.Where(i => i.Id == incidentId).Select(i => i.ChannelId).FirstOrDefaultAsync(cancellationToken);

    // The statement the one-statement capture embeds, run on its own: on PostgreSQL this is asked on every reaction,
    // and EF's query pipeline cost more than the round trip.
    private Task<int?> LiveIncidentInDatabaseAsync(string channelId, CancellationToken cancellationToken) =>
        db.RunCommandAsync(LiveIncidentSql, async command =>
        {
            AddLiveIncidentParameters(command.AddParameter("@channelId", channelId));
            return await command.ExecuteScalarAsync(cancellationToken) is { } id and not DBNull ? Convert.ToInt32(id, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        }, cancellationToken);
}
