using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace IncidentBot.Storage;

/// <summary>
/// A hand-written statement on the context's own connection, for the few writes and reads where EF's pipeline costs
/// more than the statement: opened for the statement (or left as EF holds it), in the context's transaction if it has
/// one, closed after.
/// </summary>
public static class DbContextCommands
{
    public static async Task<T> RunCommandAsync<T>(this IncidentBotDbContext db, string sql, Func<DbCommand, Task<T>> run, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            return await run(command);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
