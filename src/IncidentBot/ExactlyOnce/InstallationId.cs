using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.ExactlyOnce;

/// <summary>
/// This installation's id, made at first start and kept in its database: two installs posting in one channel (staging
/// and production, say) never take each other's posts for their own.
/// </summary>
public sealed class InstallationId(IServiceScopeFactory scopes, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _id;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_id is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _id ??= await LoadOrCreateAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        if (await db.Installation.AsNoTracking().OrderBy(i => i.CreatedAt).FirstOrDefaultAsync(cancellationToken) is { } existing)
        {
            return existing.InstallId;
        }

        db.Installation.Add(new Installation { InstallId = Guid.NewGuid().ToString("N")[..12], CreatedAt = time.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another process of this installation made it first (the single row's key refused ours). Ordered, though one row, so EF does not warn at every start.
            db.ChangeTracker.Clear();
        }

        return (await db.Installation.AsNoTracking().OrderBy(i => i.CreatedAt).FirstAsync(cancellationToken)).InstallId;
    }
}

/// <summary>Makes the id at first start, so it exists before any write is tagged with it.</summary>
internal sealed class InstallationIdAtStart(InstallationId installation) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => installation.GetAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
