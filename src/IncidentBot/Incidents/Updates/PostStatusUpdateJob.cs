using System.Globalization;
using Hangfire;
using IncidentBot.ExactlyOnce;
using IncidentBot.Incidents.Card;
using IncidentBot.Slack.WebApi;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Incidents.Updates;

/// <summary>Posts a status update in the incident channel and to stakeholders, each once through the outbox.</summary>
public sealed class PostStatusUpdateJob(IncidentBotDbContext db, Outbox outbox, IncidentCards cards)
{
    public static string OutboxKey(StatusUpdate update, string where) =>
        string.Create(CultureInfo.InvariantCulture, $"incident/{update.IncidentId}/update/{update.Id}/{where}");

    [AutomaticRetry(Attempts = 10)]
    public async Task RunAsync(int updateId, CancellationToken cancellationToken)
    {
        if (await db.StatusUpdates.FirstOrDefaultAsync(u => u.Id == updateId, cancellationToken) is not { Told: false } update
            || await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == update.IncidentId, cancellationToken) is not { ChannelId: { } channel } incident)
        {
            return;
        }

        await outbox.PostOnceAsync(OutboxKey(update, "channel"), Post(channel, StatusUpdates.Text(incident, update, forStakeholders: false)), cancellationToken);
        if (cards.StakeholderChannel(incident) is { } stakeholders)
        {
            await outbox.PostOnceAsync(OutboxKey(update, "stakeholders"), Post(stakeholders, StatusUpdates.Text(incident, update, forStakeholders: true)), cancellationToken);
        }

        update.Told = true;
        await db.SaveChangesAsync(cancellationToken);
    }

    private static PostMessageRequest Post(string channel, string text) => new() { Channel = channel, Text = text, UnfurlLinks = false, UnfurlMedia = false };
}
