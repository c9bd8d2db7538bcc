using System.Text.Json.Nodes;

namespace IncidentBot.SlackFake.Driver;

/// <summary>Finds the button a person clicks: in an <c>actions</c> block or as a section's <c>accessory</c>.</summary>
internal static class BlockButtons
{
    /// <summary>The button with <paramref name="actionId"/> (in <paramref name="blockId"/> when given); throws when there is none or several.</summary>
    public static (JsonObject Button, string BlockId) Find(JsonArray? blocks, string actionId, string? blockId, string where)
    {
        var matches = (blocks ?? []).OfType<JsonObject>()
            .Where(b => blockId is null || (string?)b["block_id"] == blockId)
            .SelectMany(b => Buttons(b).Select(button => (Button: button, BlockId: (string?)b["block_id"] ?? "")))
            .Where(m => (string?)m.Button["action_id"] == actionId)
            .ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new FakeSlackException("button_not_found", [$"{where} has no button {actionId}{(blockId is null ? "" : $" in block {blockId}")}"]),
            _ => throw new FakeSlackException("button_ambiguous", [$"{where} has {matches.Count} buttons {actionId}: name the block"]),
        };
    }

    private static IEnumerable<JsonObject> Buttons(JsonObject block)
    {
        var candidates = (string?)block["type"] switch
        {
            "actions" => (block["elements"] as JsonArray ?? []).OfType<JsonObject>(),
            "section" => new[] { block["accessory"] }.OfType<JsonObject>(),
            _ => [],
        };
        return candidates.Where(e => (string?)e["type"] == "button");
    }
}
