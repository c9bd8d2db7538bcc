using System.Text;
using IncidentBot.Slack.Payloads;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// The paging rules of conversations.history/.replies (§6.6, §7.4): <c>oldest</c>/<c>latest</c>
/// exclusive unless <c>inclusive</c>, <c>limit</c> default 100 capped at 999, and an opaque
/// base64 cursor naming the next message to return.
/// </summary>
internal sealed record HistoryPage(IReadOnlyList<FakeMessage> Messages, bool HasMore, string NextCursor)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 999;
    private const string CursorPrefix = "next_ts:";

    /// <param name="ordered">The candidate messages in the order they are returned (newest first for history).</param>
    /// <param name="newestFirst">The direction of <paramref name="ordered"/>, which decides where a cursor resumes.</param>
    public static HistoryPage Read(IReadOnlyList<FakeMessage> ordered, ApiArguments args, bool newestFirst)
    {
        var inclusive = args.Flag("inclusive");
        var oldest = ParseBound(args.Get("oldest"), "invalid_ts_oldest") ?? SlackTs.FromParts(0, 0);
        // No latest means "up to now"; left unbounded because a frozen test clock still sees bumped ts.
        var latest = ParseBound(args.Get("latest"), "invalid_ts_latest");
        var limit = Math.Clamp(args.Int("limit") ?? DefaultLimit, 1, MaxLimit);

        var inRange = ordered.Where(m =>
        {
            var ts = m.SortKey;
            var afterOldest = inclusive ? ts >= oldest : ts > oldest;
            var beforeLatest = latest is not { } bound || (inclusive ? ts <= bound : ts < bound);
            return afterOldest && beforeLatest;
        });

        if (args.Get("cursor") is { } cursor)
        {
            var resumeAt = DecodeCursor(cursor);
            inRange = inRange.Where(m => newestFirst ? m.SortKey <= resumeAt : m.SortKey >= resumeAt);
        }

        var window = inRange.Take(limit + 1).ToList();
        var hasMore = window.Count > limit;
        var page = window.Take(limit).ToList();
        var nextCursor = hasMore ? EncodeCursor(window[limit].SortKey) : "";
        return new HistoryPage(page, hasMore, nextCursor);
    }

    private static SlackTs? ParseBound(string? value, string error)
    {
        if (value is null)
        {
            return null;
        }

        return SlackTs.TryParse(value, out var ts) ? ts : throw new FakeSlackException(error);
    }

    private static string EncodeCursor(SlackTs ts) => Convert.ToBase64String(Encoding.UTF8.GetBytes(CursorPrefix + ts.ToDigits()));

    private static SlackTs DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith(CursorPrefix, StringComparison.Ordinal) && text.Length > CursorPrefix.Length + 6)
            {
                var digits = text[CursorPrefix.Length..];
                if (SlackTs.TryParse($"{digits[..^6]}.{digits[^6..]}", out var ts))
                {
                    return ts;
                }
            }
        }
        catch (FormatException)
        {
        }

        throw new FakeSlackException("invalid_cursor");
    }
}
