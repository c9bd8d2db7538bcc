namespace IncidentBot.Timeline;

/// <summary>
/// What the timeline needs to know of incidents, and no more: which live incident a channel belongs to, and where an
/// incident lives. The Incidents capability answers it; the seam keeps Timeline from depending on Incidents, which
/// itself writes the timeline.
/// </summary>
public interface IIncidentChannels
{
    /// <summary>The live incident whose channel this is (the only one whose timeline grows), or null.</summary>
    Task<int?> LiveIncidentInAsync(string? channelId, CancellationToken cancellationToken);

    /// <summary>
    /// The same question as SQL, for a statement that must ask it itself (PostgreSQL's one-statement capture, where a
    /// cache could not know of another replica's start or close): a SELECT of the live incident's <c>"Id"</c> in the
    /// channel given as <c>@channelId</c>, with its own parameters from <see cref="AddLiveIncidentParameters"/>.
    /// </summary>
    string LiveIncidentSql { get; }

    /// <summary>
    /// <see cref="LiveIncidentSql"/> for the channel <paramref name="channel"/> names, an SQL expression: a column of a
    /// statement that asks it of many channels at once (PostgreSQL's batched message capture).
    /// </summary>
    string LiveIncidentSqlOf(string channel);

    void AddLiveIncidentParameters(System.Data.Common.DbCommand command);

    /// <summary>The incident's channel, once it has one.</summary>
    Task<string?> ChannelOfAsync(int incidentId, CancellationToken cancellationToken);
}
