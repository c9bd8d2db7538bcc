using System.Collections.Concurrent;
using System.Globalization;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>
/// Sequential, Slack-shaped ids ("C0000000001", "F0000000002"). Sequential rather than random so
/// a failing test prints the same ids on every run.
/// </summary>
public sealed class IdGenerator
{
    private readonly ConcurrentDictionary<string, long> _counters = new();

    public string Next(string prefix)
    {
        var value = _counters.AddOrUpdate(prefix, 1, (_, current) => current + 1);
        return prefix + value.ToString("D10", CultureInfo.InvariantCulture);
    }
}
