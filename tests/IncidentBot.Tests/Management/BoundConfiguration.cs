using System.Reflection;
using IncidentBot.Storage;

namespace IncidentBot.Tests.Management;

/// <summary>
/// Whether an environment variable a deployment sets is one the bot reads: a property of one of its options classes
/// (found by their <c>Section</c> constant, so a class added later is known without editing this), its connection
/// string, or one of the few host and logging settings ASP.NET Core reads itself. A misspelt name would otherwise be
/// ignored without a word, and the deployment would run on the default.
/// </summary>
internal static class BoundConfiguration
{
    // Read by ASP.NET Core's host before any options class of ours; the Dockerfile sets them.
    private static readonly HashSet<string> HostVariables = ["ASPNETCORE_ENVIRONMENT", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_URLS"];

    private static readonly IReadOnlyList<(string Section, Type Options)> Sections =
    [
        .. typeof(StorageOptions).Assembly.GetTypes()
            .Select(t => (Type: t, Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
            .Select(x => ((string)x.Field!.GetRawConstantValue()!, x.Type)),
    ];

    /// <summary>Why <paramref name="environmentVariable"/> is not a setting the bot reads, or null when it is.</summary>
    public static string? Problem(string environmentVariable)
    {
        if (HostVariables.Contains(environmentVariable))
        {
            return null;
        }

        var key = environmentVariable.Replace("__", ":", StringComparison.Ordinal);
        if (key.Equals($"ConnectionStrings:{StorageServiceCollectionExtensions.ConnectionStringName}", StringComparison.OrdinalIgnoreCase)
            || key.Equals("Logging:Console:FormatterName", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("Logging:LogLevel:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var bound = Sections.Any(s =>
            key.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase)
            && s.Options.GetProperty(key[(s.Section.Length + 1)..].Split(':')[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is { CanWrite: true });
        return bound
            ? null
            : $"{environmentVariable} ({key}) is no property of an options class ({string.Join(", ", Sections.Select(s => $"{s.Section}: {s.Options.Name}"))}), nor the connection string or a host or logging setting.";
    }
}
