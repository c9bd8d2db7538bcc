using Hangfire;
using IncidentBot.ExactlyOnce;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Card;

/// <summary>
/// The incident's cards in Slack: posted once each through the outbox (the channel's card pinned), and kept current
/// in place. A change calls <see cref="Changed"/> before its commit and <see cref="Refresh"/> after it; the refresh job
/// renders whatever the state is by then, so several changes at once cost one chat.update each, and a refresh lost to
/// a restart is found by the sweep (<see cref="Incident.CardRenderedVersion"/>).
/// </summary>
public sealed class IncidentCards(
    IncidentBotDbContext db,
    Outbox outbox,
    ISlackApiClient slack,
    IBackgroundJobClient jobs,
    IOptions<IncidentsOptions> options,
    IOptions<TimelineOptions> timelineOptions,
    IEnumerable<IIncidentClosedHandler> whenClosed)
{
    public static string CardKey(int incidentId) => $"incident/{incidentId}/announcement";

    public static string PinKey(int incidentId) => $"incident/{incidentId}/pin";

    public static string StakeholderKey(int incidentId) => $"incident/{incidentId}/stakeholders";

    /// <summary>The announcements channel, for this incident: none for a private one.</summary>
    public string? StakeholderChannel(Incident incident) =>
        incident.IsPrivate || string.IsNullOrWhiteSpace(options.Value.AnnouncementsChannel) ? null : options.Value.AnnouncementsChannel;

    /// <summary>Something the card shows changed; the caller commits it.</summary>
    public static void Changed(Incident incident) => incident.CardVersion++;

    /// <summary>After the commit: the cards are rendered again by a job.</summary>
    public void Refresh(int incidentId) => jobs.Enqueue<RefreshIncidentCardJob>(job => job.RunAsync(incidentId, CancellationToken.None));

    public async Task<CardState> StateAsync(Incident incident, CancellationToken cancellationToken) => new(
        incident,
        options.Value.RoleNames,
        await db.IncidentRoles.AsNoTracking().Where(r => r.IncidentId == incident.Id).ToListAsync(cancellationToken),
        await db.StatusUpdates.AsNoTracking().Where(u => u.IncidentId == incident.Id).OrderByDescending(u => u.PostedAt).ThenByDescending(u => u.Id).FirstOrDefaultAsync(cancellationToken));

    /// <summary>The card in the incident channel, once.</summary>
    public async Task<OutboxResult> PostAsync(Incident incident, CancellationToken cancellationToken)
    {
        var state = await StateAsync(incident, cancellationToken);
        return await outbox.PostOnceAsync(
            CardKey(incident.Id),
            new PostMessageRequest { Channel = incident.ChannelId!, Text = IncidentCard.Text(state), Blocks = Blocks(state) },
            cancellationToken);
    }

    /// <summary>The card pinned, once: people find it in the channel's pins however far the channel has scrolled.</summary>
    public async Task PinAsync(Incident incident, CancellationToken cancellationToken)
    {
        if (await outbox.SentAsync(CardKey(incident.Id), cancellationToken) is not { SlackId: { } ts })
        {
            return;
        }

        await outbox.OnceAsync(PinKey(incident.Id), async (_, ct) =>
        {
            try
            {
                await slack.Pins.AddAsync(new PinRequest { Channel = incident.ChannelId!, Timestamp = ts }, ct);
            }
            catch (SlackApiException exception) when (exception.ErrorCode == "already_pinned")
            {
            }

            return new OutboxResult(incident.ChannelId, ts);
        }, cancellationToken);
    }

    /// <summary>The stakeholders' card in the announcements channel, once (none for a private incident, or without the setting).</summary>
    public async Task PostToStakeholdersAsync(Incident incident, CancellationToken cancellationToken)
    {
        if (StakeholderChannel(incident) is not { } channel || incident.ChannelId is null)
        {
            return;
        }

        var state = await StateAsync(incident, cancellationToken);
        await outbox.PostOnceAsync(
            StakeholderKey(incident.Id),
            new PostMessageRequest { Channel = channel, Text = IncidentCard.StakeholderText(state), Blocks = IncidentCard.StakeholderBlocks(state) },
            cancellationToken);
    }

    /// <summary>
    /// Every card already posted shows the current state (chat.update: the same render twice changes nothing). Cards not
    /// posted yet are the opening's to post, with the state of then.
    /// </summary>
    public async Task UpdateAsync(int incidentId, CancellationToken cancellationToken)
    {
        if (await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == incidentId, cancellationToken) is not { } incident)
        {
            return;
        }

        var state = await StateAsync(incident, cancellationToken);
        if (await outbox.SentAsync(CardKey(incidentId), cancellationToken) is { ChannelId: { } channel, SlackId: { } ts })
        {
            await slack.Chat.UpdateAsync(new UpdateMessageRequest { Channel = channel, Ts = ts, Text = IncidentCard.Text(state), Blocks = Blocks(state) }, cancellationToken);
        }

        if (await outbox.SentAsync(StakeholderKey(incidentId), cancellationToken) is { ChannelId: { } stakeholders, SlackId: { } stakeholderTs })
        {
            await slack.Chat.UpdateAsync(
                new UpdateMessageRequest { Channel = stakeholders, Ts = stakeholderTs, Text = IncidentCard.StakeholderText(state), Blocks = IncidentCard.StakeholderBlocks(state) },
                cancellationToken);
        }

        await db.Incidents.Where(i => i.Id == incidentId && i.CardRenderedVersion < incident.CardVersion)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.CardRenderedVersion, incident.CardVersion), cancellationToken);
    }

    private IReadOnlyList<Slack.Blocks.Block> Blocks(CardState state) =>
        IncidentCard.Blocks(state, timelineOptions.Value, CloseForetold(state.Incident));

    /// <summary>What the Close button's confirmation says will happen.</summary>
    private string CloseForetold(Incident incident) =>
        string.Join(' ', [
            $"{incident.Reference} is resolved now, and this channel's messages stop being recorded on its timeline.",
            .. whenClosed.Select(handler => handler.Foretell()).OfType<string>(),
            "`/incident reopen` makes it live again.",
        ]);
}
