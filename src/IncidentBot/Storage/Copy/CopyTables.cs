using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IncidentBot.Storage.Copy;

/// <summary>
/// The bot's tables, read from the EF model (so a table added later is copied without anyone remembering to), in an
/// order that inserts every principal before its dependents: the target's foreign keys are checked row by row, and
/// PostgreSQL only defers constraints declared deferrable, which EF's are not.
/// </summary>
internal static class CopyTables
{
    public static IReadOnlyList<IEntityType> InInsertOrder(IModel model)
    {
        var tables = model.GetEntityTypes().Where(type => type.GetTableName() is not null).ToList();
        // Refuse a shape this copier does not handle rather than copy it half: one class, one table, its own key.
        foreach (var type in tables)
        {
            if (type.BaseType is not null || type.GetDerivedTypes().Any() || type.IsOwned() || type.FindPrimaryKey() is null
                || tables.Count(other => other.GetTableName() == type.GetTableName() && other.GetSchema() == type.GetSchema()) > 1)
            {
                throw new NotSupportedException(
                    $"copy-to-postgresql copies one entity per table with its own primary key; {type.DisplayName()} ({type.GetTableName()}) is not such a table. Teach Storage/Copy its shape.");
            }
        }

        var ordered = new List<IEntityType>();
        var visiting = new HashSet<IEntityType>();
        foreach (var type in tables.OrderBy(type => type.GetTableName(), StringComparer.Ordinal))
        {
            Visit(type, ordered, visiting);
        }

        return ordered;
    }

    private static void Visit(IEntityType type, List<IEntityType> ordered, HashSet<IEntityType> visiting)
    {
        if (ordered.Contains(type) || !visiting.Add(type))
        {
            return; // Done already, or a self-reference (the model has none; its rows would need their parents first).
        }

        foreach (var principal in type.GetForeignKeys().Select(key => key.PrincipalEntityType).Where(principal => principal != type))
        {
            Visit(principal, ordered, visiting);
        }

        ordered.Add(type);
    }
}
