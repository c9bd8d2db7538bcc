using System.Text.Json;

namespace IncidentBot.SlackFake.Scenarios;

/// <summary>Finds what a person sees in a modal by its words, as they would: a button by its label, an input by its label.</summary>
public static class ModalReading
{
    /// <summary>The (block_id, action_id) of the button labelled <paramref name="label"/>, after the section containing <paramref name="near"/> when given.</summary>
    public static (string? BlockId, string ActionId) Button(JsonElement view, string label, string? near)
    {
        var seen = near is null;
        foreach (var block in view.GetProperty("blocks").EnumerateArray())
        {
            var type = block.GetProperty("type").GetString();
            if (!seen)
            {
                seen = type == "section" && block.TryGetProperty("text", out var text) && text.GetProperty("text").GetString()!.Contains(near!, StringComparison.Ordinal);
                continue;
            }

            var buttons = type == "actions" ? block.GetProperty("elements").EnumerateArray().ToList()
                : block.TryGetProperty("accessory", out var accessory) ? [accessory] : [];
            foreach (var button in buttons.Where(b => b.GetProperty("type").GetString() == "button" && b.GetProperty("text").GetProperty("text").GetString() == label))
            {
                return (block.TryGetProperty("block_id", out var id) ? id.GetString() : null, button.GetProperty("action_id").GetString()!);
            }
        }

        throw new InvalidOperationException($"The modal has no button '{label}'{(near is null ? "" : $" after '{near}'")}.");
    }

    /// <summary>The (block_id, action_id) of the input labelled <paramref name="label"/>.</summary>
    public static (string BlockId, string ActionId) Input(JsonElement view, string label)
    {
        foreach (var block in view.GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "input"))
        {
            if (block.GetProperty("label").GetProperty("text").GetString() == label)
            {
                return (block.GetProperty("block_id").GetString()!, block.GetProperty("element").GetProperty("action_id").GetString()!);
            }
        }

        throw new InvalidOperationException($"The modal has no input labelled '{label}'.");
    }
}
