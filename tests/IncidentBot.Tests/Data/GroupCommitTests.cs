using Microsoft.Extensions.Configuration;
using System.Data.Common;
using IncidentBot.Storage;
using IncidentBot.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Data;

/// <summary>The request path's group commit on a real SQLite file: one transaction per batch, duplicates as answers, failures kept to their own request.</summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private readonly string _path = TestDatabase.NewPath();
    private ServiceProvider _services = null!;

    private GroupCommit Group => _services.GetRequiredService<GroupCommit>();

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<SqliteWriteGate>()
            .AddSingleton(DatabaseLocation.From(new ConfigurationBuilder().AddInMemoryCollection(
                new Dictionary<string, string?> { ["ConnectionStrings:IncidentBot"] = $"Data Source={_path};Pooling=False" }).Build()))
            .AddSingleton<GroupCommit>()
            .AddDbContext<IncidentBotDbContext>(options => options.UseSqlite($"Data Source={_path};Pooling=False"))
            .BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>().Database.ExecuteSqlRawAsync("""CREATE TABLE "Probe" ("Key" TEXT NOT NULL PRIMARY KEY)""");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        File.Delete(_path);
    }

    private async Task<List<string>> StoredAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>().Database.SqlQueryRaw<string>("""SELECT "Key" AS "Value" FROM "Probe" ORDER BY "Key" """).ToListAsync();
    }

    [Fact]
    public async Task Writes_queued_while_one_commits_share_the_next_transaction_and_a_duplicate_is_answered_not_new()
    {
        // Arrange: the first write holds the writer, so the next ones queue up behind it.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new Insert("a", release.Task);
        var firstDone = Group.CommitAsync(first, CancellationToken.None);
        await first.Started.Task;
        var queued = new[] { new Insert("b"), new Insert("c"), new Insert("b"), new Insert("a") };

        // Act
        var answers = queued.Select(w => Group.CommitAsync(w, CancellationToken.None)).ToList();
        release.SetResult();

        // Assert: one transaction for the four, each told whether its row was new, and all the rows there once.
        Assert.True(await firstDone);
        var results = await Task.WhenAll(answers);
        Assert.Equal([true, true, false, false], results);
        Assert.Single(queued.Select(w => w.Transaction).Distinct());
        Assert.NotSame(first.Transaction, queued[0].Transaction);
        Assert.Equal(["a", "b", "c"], await StoredAsync());
    }

    [Fact]
    public async Task A_failing_write_fails_only_its_own_request_and_the_rest_of_its_batch_is_committed()
    {
        // Arrange
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = new Insert("a", release.Task);
        var held = Group.CommitAsync(holder, CancellationToken.None);
        await holder.Started.Task;

        // Act: a bad row between two good ones, in one batch.
        var before = Group.CommitAsync(new Insert("b"), CancellationToken.None);
        var bad = Group.CommitAsync(new Insert(null), CancellationToken.None);
        var after = Group.CommitAsync(new Insert("c"), CancellationToken.None);
        release.SetResult();

        // Assert
        Assert.True(await held);
        Assert.True(await before);
        await Assert.ThrowsAnyAsync<DbException>(() => bad);
        Assert.True(await after);
        Assert.Equal(["a", "b", "c"], await StoredAsync());
    }

    /// <summary>Inserts one key (null breaks the primary key's NOT NULL, a row that can never be written), optionally waiting first.</summary>
    private sealed class Insert(string? key, Task? waitFor = null) : IGroupWrite
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DbTransaction? Transaction { get; private set; }

        public async Task<bool> WriteAsync(GroupTransaction transaction, CancellationToken cancellationToken)
        {
            Transaction = transaction.Transaction;
            Started.TrySetResult();
            if (waitFor is not null)
            {
                await waitFor;
            }

            var command = transaction.Command("""INSERT INTO "Probe" ("Key") VALUES (@key) ON CONFLICT DO NOTHING""");
            command.AddParameter("@key", key);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
    }
}
