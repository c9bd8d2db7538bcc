using System.Globalization;

namespace IncidentBot.Tests.Telemetry;

/// <summary>A Prometheus text scrape, read back as samples: a name, its labels as written, and its value.</summary>
public sealed class PrometheusScrape(string text)
{
    private readonly List<(string Name, string Labels, double Value)> _samples = [.. text.Split('\n')
        .Where(line => line.Length > 0 && !line.StartsWith('#'))
        .Select(Parse)];

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    /// <summary>The sum over every sample of this name whose labels include all of <paramref name="labels"/> (e.g. <c>outcome="ok"</c>).</summary>
    public double Sum(string name, params string[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    private static (string, string, double) Parse(string line)
    {
        var valueAt = line.LastIndexOf(' ');
        var series = line[..valueAt];
        var brace = series.IndexOf('{');
        var value = double.Parse(line[(valueAt + 1)..], CultureInfo.InvariantCulture);
        return brace < 0 ? (series, "", value) : (series[..brace], series[brace..], value);
    }
}
