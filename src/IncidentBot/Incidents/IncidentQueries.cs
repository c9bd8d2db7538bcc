using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents;

public static class IncidentQueries
{
    /// <summary>The incident being opened or live in a channel (at most one: a unique index guarantees it).</summary>
    public static Task<Incident?> OpenInChannelAsync(this IQueryable<Incident> incidents, string channelId, CancellationToken cancellationToken) =>
        incidents.FirstOrDefaultAsync(i => i.ChannelId == channelId && (i.Status == IncidentStatus.Live || i.Status == IncidentStatus.Opening), cancellationToken);

    /// <summary>The live incident whose channel this is: the only one whose timeline grows.</summary>
    public static Task<Incident?> LiveInChannelAsync(this IQueryable<Incident> incidents, string? channelId, CancellationToken cancellationToken) =>
        channelId is null
            ? Task.FromResult<Incident?>(null)
            : incidents.FirstOrDefaultAsync(i => i.ChannelId == channelId && i.Status == IncidentStatus.Live, cancellationToken);

    /// <summary>The channel's most recently closed incident (several can share a channel where incidents are declared in place).</summary>
    public static Task<Incident?> LastClosedInChannelAsync(this IQueryable<Incident> incidents, string channelId, CancellationToken cancellationToken) =>
        incidents.Where(i => i.ChannelId == channelId && i.Status == IncidentStatus.Closed)
            .OrderByDescending(i => i.ClosedAt).ThenByDescending(i => i.Id)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The incident whose record a channel holds: its live incident, else the one closed there last (its record can
    /// still be completed after the close).
    /// </summary>
    public static async Task<Incident?> LiveOrLastClosedInChannelAsync(this IQueryable<Incident> incidents, string? channelId, CancellationToken cancellationToken) =>
        channelId is null
            ? null
            : await incidents.LiveInChannelAsync(channelId, cancellationToken)
              ?? await incidents.LastClosedInChannelAsync(channelId, cancellationToken);
}
