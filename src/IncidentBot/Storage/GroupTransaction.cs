using System.Data.Common;

namespace IncidentBot.Storage;

/// <summary>
/// The transaction a group commit's writes run in, and the commands they run. The SQLite writer keeps its connection
/// open and its commands prepared from batch to batch (<see cref="CommandCache"/>): SQLite parsed and planned every
/// statement of every event again, a share of each request's CPU as large as the write itself.
/// </summary>
public sealed class GroupTransaction(DbConnection connection, DbTransaction transaction, GroupTransaction.CommandCache? cache)
{
    public DbTransaction Transaction => transaction;

    /// <summary>A command for <paramref name="sql"/> in this transaction, without parameters. It is this object's: never dispose it.</summary>
    public DbCommand Command(string sql)
    {
        var command = cache is null ? NewCommand(sql) : cache.Get(connection, sql);
        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>The commands made for an uncached transaction (PostgreSQL's, one per request), disposed with it.</summary>
    internal List<DbCommand> Made { get; } = [];

    private DbCommand NewCommand(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        Made.Add(command);
        return command;
    }

    /// <summary>One connection's prepared commands, by their SQL; as long-lived as the connection.</summary>
    public sealed class CommandCache : IDisposable
    {
        private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

        internal DbCommand Get(DbConnection connection, string sql)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                _commands[sql] = command;
            }

            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
        }
    }
}
