using IncidentBot.BackgroundJobs.Sweep;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.DeadLetters;

/// <summary>Every dead letter is unfinished work: the sweep queues its replay until one succeeds.</summary>
internal sealed class DeadLettersUnfinishedWork(IncidentBotDbContext db) : IUnfinishedWork
{
    public async Task<IReadOnlyList<UnfinishedItem>> FindAsync(CancellationToken cancellationToken)
    {
        var letters = await db.DeadLetters.Select(l => new { l.Id, l.Type, l.EventId }).ToListAsync(cancellationToken);
        return [.. letters.Select(l => UnfinishedItem.For<ReplayDeadLetterJob>(
            $"dead-letter/{l.Id}", job => job.RunAsync(l.Id, CancellationToken.None), $"replay of the dead-lettered {l.Type} event {l.EventId}"))];
    }
}
