using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace IncidentBot.Storage.Copy;

/// <summary>
/// The PostgreSQL database receiving the copy: migrated to this version's schema, refused unless every one of the
/// bot's tables is empty, then written in one transaction (all of it, or none of it).
/// </summary>
internal sealed class PostgreSqlCopyTarget : IAsyncDisposable
{
    // Npgsql allows 65,535 parameters per statement; a row of the widest table has ~25, so this stays well below.
    private const int RowsPerInsert = 500;

    private readonly IDbContextTransaction _transaction;

    private PostgreSqlCopyTarget(PostgreSqlIncidentBotDbContext db, IDbContextTransaction transaction)
    {
        Db = db;
        _transaction = transaction;
    }

    public PostgreSqlIncidentBotDbContext Db { get; }

    private DbConnection Connection => Db.Database.GetDbConnection();

    public static async Task<PostgreSqlCopyTarget> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var db = new PostgreSqlIncidentBotDbContext(new DbContextOptionsBuilder<PostgreSqlIncidentBotDbContext>().UseNpgsql(connectionString).Options);
        try
        {
            // Before migrating too, so that a filled database at an older schema is refused untouched, not upgraded. One
            // that does not exist yet is created by the migration (when the user may CREATEDB).
            if (await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken))
            {
                await db.Database.OpenConnectionAsync(cancellationToken);
                await RefuseUnlessEmptyAsync(db, cancellationToken);
            }

            await db.Database.MigrateAsync(cancellationToken);
            var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Again inside the transaction: the tables the migration just made, and anything written in between.
            await RefuseUnlessEmptyAsync(db, cancellationToken);
            return new PostgreSqlCopyTarget(db, transaction);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Names the tables that hold rows (of those that exist yet): a copy on top of a bot's data would mix two histories
    /// under the same ids.
    /// </summary>
    private static async Task RefuseUnlessEmptyAsync(PostgreSqlIncidentBotDbContext db, CancellationToken cancellationToken)
    {
        var filled = new List<string>();
        foreach (var table in CopyTables.InInsertOrder(db.Model))
        {
            if (await ScalarAsync(db, "SELECT to_regclass(@name) IS NOT NULL", cancellationToken, new NpgsqlParameter("name", Name(table))) is true
                && await ScalarAsync(db, $"SELECT EXISTS (SELECT 1 FROM {Name(table)})", cancellationToken) is true)
            {
                filled.Add(table.GetTableName()!);
            }
        }

        if (filled.Count > 0)
        {
            var builder = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
            throw new CopyRefusedException(
                $"The target database {builder.Database} on {builder.Host} is not empty (rows in {string.Join(", ", filled)}): "
                + "copy only into a new database (CREATE DATABASE …), or drop this one first if its data is not wanted. Nothing was changed.");
        }
    }

    /// <summary>Inserts <paramref name="rows"/> (the values of the source's properties, in its order), keys as they were.</summary>
    public async Task WriteAsync(IEntityType sourceTable, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        var table = Db.Model.FindEntityType(sourceTable.Name)
            ?? throw new InvalidOperationException($"{sourceTable.DisplayName()} is not in the PostgreSQL model.");
        var store = StoreObjectIdentifier.Table(table.GetTableName()!, table.GetSchema());
        var properties = sourceTable.GetProperties().Select(property => table.FindProperty(property.Name)!).ToList();
        var columns = string.Join(", ", properties.Select(property => Quote(property.GetColumnName(store)!)));
        // A GENERATED ALWAYS identity takes a given id only when told to (the model's are BY DEFAULT, which take it anyway).
        var overriding = properties.Any(property => NpgsqlPropertyExtensions.GetValueGenerationStrategy(property) == NpgsqlValueGenerationStrategy.IdentityAlwaysColumn)
            ? "OVERRIDING SYSTEM VALUE "
            : "";

        foreach (var chunk in rows.Chunk(RowsPerInsert))
        {
            await using var command = Connection.CreateCommand();
            command.Transaction = _transaction.GetDbTransaction();
            var values = new StringBuilder();
            foreach (var row in chunk)
            {
                values.Append(values.Length == 0 ? "(" : ", (");
                for (var i = 0; i < properties.Count; i++)
                {
                    // The target's own type mapping converts the value (enums to text, UTC times) exactly as EF would.
                    var parameter = properties[i].GetRelationalTypeMapping().CreateParameter(command, $"p{command.Parameters.Count}", row[i], properties[i].IsNullable);
                    command.Parameters.Add(parameter);
                    values.Append(i == 0 ? "" : ", ").Append('@').Append(parameter.ParameterName);
                }

                values.Append(')');
            }

            command.CommandText = $"INSERT INTO {Name(table)} ({columns}) {overriding}VALUES {values}";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The copied rows kept their ids, which the identity sequences did not hand out: set each to the largest id, so
    /// the next row the bot inserts gets the one after it rather than colliding with a copied one.
    /// </summary>
    public async Task ResetIdentitySequencesAsync(CancellationToken cancellationToken)
    {
        foreach (var table in CopyTables.InInsertOrder(Db.Model))
        {
            var store = StoreObjectIdentifier.Table(table.GetTableName()!, table.GetSchema());
            foreach (var property in table.GetProperties().Where(IsIdentity))
            {
                var column = property.GetColumnName(store)!;
                // setval(…, 1, false) on an empty table: the next value is 1, as on a new database.
                await using var command = Connection.CreateCommand();
                command.Transaction = _transaction.GetDbTransaction();
                command.CommandText = $"SELECT setval(pg_get_serial_sequence(@table, @column), COALESCE(MAX({Quote(column)}), 1), MAX({Quote(column)}) IS NOT NULL) FROM {Name(table)}";
                command.Parameters.Add(new NpgsqlParameter("table", Name(table)));
                command.Parameters.Add(new NpgsqlParameter("column", column));
                await command.ExecuteScalarAsync(cancellationToken);
            }
        }
    }

    public async Task<long> CountAsync(IEntityType sourceTable, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(Db, $"SELECT COUNT(*) FROM {Name(Db.Model.FindEntityType(sourceTable.Name)!)}", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    private static bool IsIdentity(IProperty property) =>
        NpgsqlPropertyExtensions.GetValueGenerationStrategy(property) is NpgsqlValueGenerationStrategy.IdentityByDefaultColumn or NpgsqlValueGenerationStrategy.IdentityAlwaysColumn or NpgsqlValueGenerationStrategy.SerialColumn;

    private static async Task<object?> ScalarAsync(DbContext db, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    // Names come from the model, never from input; quoted, since EF created them with capitals.
    private static string Name(IEntityType table) =>
        table.GetSchema() is { } schema ? $"{Quote(schema)}.{Quote(table.GetTableName()!)}" : Quote(table.GetTableName()!);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public async ValueTask DisposeAsync()
    {
        // Uncommitted (a failure halfway): disposing rolls the whole copy back.
        await _transaction.DisposeAsync();
        await Db.DisposeAsync();
    }
}
