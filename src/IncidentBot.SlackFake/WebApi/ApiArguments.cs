using System.Globalization;
using System.Text.Json;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// A call's arguments, all as strings whatever the body type (form fields are strings, and
/// complex JSON values are kept as their JSON text), so each method reads them one way.
/// </summary>
internal sealed class ApiArguments(IReadOnlyDictionary<string, string> values)
{
    public IReadOnlyDictionary<string, string> Values => values;

    /// <summary>The value, or null when absent or empty: Slack treats <c>channel=</c> like no channel.</summary>
    public string? Get(string name) => values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public string Require(string name, string error = "invalid_arguments") =>
        Get(name) ?? throw new FakeSlackException(error);

    public bool Flag(string name) => Get(name) is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    public int? Int(string name)
    {
        var value = Get(name);
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FakeSlackException("invalid_arguments");
    }

    /// <summary>A complex argument (blocks, view, metadata...) parsed from its JSON text; <paramref name="error"/> when not JSON.</summary>
    public JsonElement? Json(string name, string error = "invalid_arguments")
    {
        var value = Get(name);
        if (value is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new FakeSlackException(error);
        }
    }
}
