using System.Globalization;

namespace IncidentBot.Review;

/// <summary>
/// What a review view carries in its <c>private_metadata</c>: the incident, the page shown, and for a form pushed on
/// top the root view to refresh and the entry it edits. Never trusted alone: every handler looks the incident up again.
/// </summary>
public sealed record ReviewMetadata(int IncidentId, int Page, string? RootViewId = null, long? EntryId = null)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{IncidentId}|{Page}|{RootViewId}|{EntryId}");

    public static ReviewMetadata? Parse(string? text)
    {
        var parts = text?.Split('|');
        if (parts is not { Length: 4 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var page))
        {
            return null;
        }

        long? entryId = long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        return new ReviewMetadata(incidentId, page, parts[2].Length > 0 ? parts[2] : null, entryId);
    }
}
