using System.Text;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>The paging of conversations.list (§7.4): oldest channel first, an opaque cursor naming the next one.</summary>
internal sealed record ChannelListPage(IReadOnlyList<FakeChannel> Channels, string NextCursor)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    private const string CursorPrefix = "dGVhbTpD:";

    public static ChannelListPage Read(IEnumerable<FakeChannel> listed, ApiArguments args)
    {
        var ordered = listed.OrderBy(c => c.Created).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var limit = Math.Clamp(args.Int("limit") ?? DefaultLimit, 1, MaxLimit);
        var start = 0;
        if (args.Get("cursor") is { } cursor)
        {
            var next = DecodeCursor(cursor);
            start = ordered.FindIndex(c => c.Id == next);
            if (start < 0)
            {
                throw new FakeSlackException("invalid_cursor");
            }
        }

        var page = ordered.Skip(start).Take(limit).ToList();
        var nextCursor = start + limit < ordered.Count ? EncodeCursor(ordered[start + limit].Id) : "";
        return new ChannelListPage(page, nextCursor);
    }

    private static string EncodeCursor(string channelId) => Convert.ToBase64String(Encoding.UTF8.GetBytes(CursorPrefix + channelId));

    private static string DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith(CursorPrefix, StringComparison.Ordinal) && text.Length > CursorPrefix.Length)
            {
                return text[CursorPrefix.Length..];
            }
        }
        catch (FormatException)
        {
        }

        throw new FakeSlackException("invalid_cursor");
    }
}
