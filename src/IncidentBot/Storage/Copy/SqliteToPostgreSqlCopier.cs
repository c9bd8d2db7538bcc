using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Storage.Copy;

/// <summary>
/// Copies every table of the model from the source to the target, principals first, keeping primary keys, in the
/// target's one transaction; checks each table's count before committing, so a copy is whole or not there at all.
/// </summary>
internal static class SqliteToPostgreSqlCopier
{
    /// <returns>Each table's name and the rows copied into it, in the order they were copied.</returns>
    public static async Task<IReadOnlyList<(string Table, long Rows)>> CopyAsync(SqliteCopySource source, PostgreSqlCopyTarget target, CancellationToken cancellationToken)
    {
        var copied = new List<(string Table, long Rows)>();
        foreach (var table in CopyTables.InInsertOrder(source.Db.Model))
        {
            var rows = await source.ReadAsync(table, cancellationToken);
            await target.WriteAsync(table, rows, cancellationToken);
            var count = await target.CountAsync(table, cancellationToken);
            if (count != rows.Count)
            {
                throw new InvalidOperationException($"{table.GetTableName()}: {rows.Count} rows read but {count} in the target; nothing was committed.");
            }

            copied.Add((table.GetTableName()!, count));
        }

        await target.ResetIdentitySequencesAsync(cancellationToken);
        await target.CommitAsync(cancellationToken);
        return copied;
    }
}
