using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IncidentBot.Incidents;

/// <summary>
/// Clears <see cref="LiveIncidentChannelCache"/> whenever incidents are saved, whichever code path did it: once as the
/// change is saved (no read in flight may keep the old answer) and again once it is committed (a read between the
/// two saw the old rows), at the end of SaveChanges or, inside a transaction, at its commit.
/// </summary>
public sealed class LiveIncidentChannelInvalidation(LiveIncidentChannelCache cache) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, object> _uncommitted = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    private void Saving(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<Incident>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            _uncommitted.AddOrUpdate(context, context);
            cache.Clear();
        }
    }

    private void Saved(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            Committed(context);
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _uncommitted.Remove(context))
        {
            cache.Clear();
        }
    }
}
