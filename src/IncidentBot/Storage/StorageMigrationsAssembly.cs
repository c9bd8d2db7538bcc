using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;

namespace IncidentBot.Storage;

#pragma warning disable EF1001 // EF's own migrations assembly, extended only to narrow where it looks for migrations.
/// <summary>
/// EF's migrations assembly, looking for the migrations and the model snapshot only among the types under
/// <c>IncidentBot.Storage.Migrations</c>. EF's own loads every type of the bot's assembly to find them, and with
/// those every assembly they touch (the fake Slack, Npgsql, the Liquid and Markdown parsers), at every start (issue 14's
/// start-up and idle memory). The names are read from the assembly's metadata, which loads no type; only the
/// migrations' own types are loaded. Where no file is there to read (a single-file bundle), EF's own search is used.
/// </summary>
internal sealed class StorageMigrationsAssembly(
    ICurrentDbContext currentContext, IDbContextOptions options, IMigrationsIdGenerator idGenerator, IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
    : MigrationsAssembly(currentContext, options, idGenerator, logger)
{
    private const string MigrationsNamespace = "IncidentBot.Storage.Migrations";

    /// <summary>Read once per process: the assembly does not change while it runs.</summary>
    private static readonly Lazy<IReadOnlyList<TypeInfo>?> Candidates = new(ReadCandidates);

    private readonly Type _context = currentContext.Context.GetType();
    private IReadOnlyDictionary<string, TypeInfo>? _migrations;
    private ModelSnapshot? _snapshot;

    public override IReadOnlyDictionary<string, TypeInfo> Migrations =>
        _migrations ??= Candidates.Value is { } types ? MigrationsOf(types) : base.Migrations;

    public override ModelSnapshot? ModelSnapshot =>
        _snapshot ??= Candidates.Value is { } types ? SnapshotOf(types) : base.ModelSnapshot;

    private bool IsOurs(TypeInfo type) => type.GetCustomAttribute<DbContextAttribute>()?.ContextType == _context;

    private SortedList<string, TypeInfo> MigrationsOf(IEnumerable<TypeInfo> types)
    {
        var migrations = new SortedList<string, TypeInfo>(StringComparer.Ordinal);
        foreach (var type in types.Where(t => t.IsSubclassOf(typeof(Migration)) && IsOurs(t)))
        {
            if (type.GetCustomAttribute<MigrationAttribute>()?.Id is { } id)
            {
                migrations.Add(id, type);
            }
        }

        return migrations;
    }

    private ModelSnapshot? SnapshotOf(IEnumerable<TypeInfo> types) =>
        types.Where(t => t.IsSubclassOf(typeof(ModelSnapshot)) && IsOurs(t)).Select(t => (ModelSnapshot)Activator.CreateInstance(t.AsType())!).FirstOrDefault();

    private static List<TypeInfo>? ReadCandidates()
    {
        var assembly = typeof(StorageMigrationsAssembly).Assembly;
        if (string.IsNullOrEmpty(assembly.Location))
        {
            return null;
        }

        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.TypeDefinitions)
        {
            var definition = metadata.GetTypeDefinition(handle);
            var space = metadata.GetString(definition.Namespace);
            // Top-level types only (nested ones have no namespace of their own).
            if (!definition.GetDeclaringType().IsNil || !(space == MigrationsNamespace || space.StartsWith(MigrationsNamespace + ".", StringComparison.Ordinal)))
            {
                continue;
            }

            names.Add(space + "." + metadata.GetString(definition.Name));
        }

        return [.. names.Select(name => assembly.GetType(name, throwOnError: true)!.GetTypeInfo()).Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition)];
    }
}
#pragma warning restore EF1001
