using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// conversations.members: the member ids of a channel the bot can see (a private one only when it is in it), paged
/// with an opaque cursor (§7.4; Slack's default limit is 100, at most 1000).
/// </summary>
internal sealed class ConversationMembersApi(ChannelGuard guard)
{
    private const string CursorPrefix = "dXNlcjpV:";

    public void Register(ApiMethodTable methods) => methods.FormOnly("conversations.members", Members);

    private ApiResult Members(ApiArguments args)
    {
        var channel = guard.Visible(args.Require("channel", "channel_not_found"));
        var limit = int.TryParse(args.Get("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 1000) : 100;
        var start = args.Get("cursor") is { Length: > 0 } cursor ? Decode(cursor) : 0;
        var members = channel.Members;
        var page = members.Skip(start).Take(limit).ToList();
        var next = start + limit < members.Count ? Encode(start + limit) : "";
        return ApiResult.Success(new JsonObject
        {
            ["members"] = new JsonArray([.. page.Select(m => (JsonNode)m)]),
            ["response_metadata"] = new JsonObject { ["next_cursor"] = next },
        });
    }

    private static string Encode(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes(CursorPrefix + offset.ToString(CultureInfo.InvariantCulture)));

    private static int Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith(CursorPrefix, StringComparison.Ordinal) && int.TryParse(text[CursorPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }

        throw new FakeSlackException("invalid_cursor");
    }
}
