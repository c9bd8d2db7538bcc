using System.Globalization;
using System.Text.Json;
using IncidentBot.SlackFake.Driver;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// A modal a person has open in the fake Slack, used as they would: read it, type into it, click its buttons, submit
/// it. Each read looks the view up again, so a refresh the bot made with views.update shows.
/// </summary>
public sealed class ReviewModal(SlackTestbed testbed, string user, string viewId)
{
    /// <summary>The modal on top of <paramref name="user"/>'s stack.</summary>
    public static ReviewModal Of(SlackTestbed testbed, string user) =>
        new(testbed, user, testbed.Slack.Driver.OpenViewOf(user)?.Id ?? throw new InvalidOperationException($"{user} has no modal open."));

    public FakeView Current => testbed.Slack.Workspace.FindView(viewId) ?? throw new InvalidOperationException($"View {viewId} is gone.");

    public string CallbackId => Current.CallbackId;

    public int BlockCount => Blocks.Count;

    public IReadOnlyList<JsonElement> Blocks => [.. Current.View.GetProperty("blocks").EnumerateArray()];

    /// <summary>Every text of the view's blocks, one line each, as Slack would render them (mrkdwn kept as sent).</summary>
    public string Text => string.Join("\n", Blocks.SelectMany(Texts));

    public IReadOnlyList<string> ActionIds => [.. Buttons().Select(b => b.ActionId)];

    /// <summary>Buttons as <c>block_id:action_id</c>.</summary>
    public IReadOnlyList<string> ButtonKeys => [.. Buttons().Select(b => $"{b.BlockId}:{b.ActionId}")];

    public void Set(string blockId, string actionId, string value) => testbed.Slack.Driver.SetViewValue(user, viewId, blockId, actionId, value);

    public async Task<ViewInteractionResult> ClickAsync(string actionId, string? blockId = null)
    {
        var result = await testbed.Slack.Driver.ClickViewButtonAsync(user, viewId, actionId, blockId);
        Assert.Equal(200, result.StatusCode);
        return result;
    }

    public async Task<ViewInteractionResult> SubmitAsync()
    {
        var result = await testbed.Slack.Driver.SubmitViewAsync(user, viewId);
        Assert.Null(result.Refusal);
        return result;
    }

    /// <summary>
    /// A block_actions payload made by hand for a button the view may not show (as a forged request would be), from
    /// this workspace and app unless <paramref name="team"/> or <paramref name="appId"/> say otherwise.
    /// </summary>
    public async Task SendButtonAsync(string actionId, string blockId, string value, string? team = null, string? appId = null)
    {
        var view = Current;
        var payload = new
        {
            type = "block_actions",
            api_app_id = appId ?? testbed.Slack.Options.AppId,
            token = testbed.Slack.Options.VerificationToken,
            team = new { id = team ?? testbed.Slack.Options.TeamId },
            user = new { id = user },
            container = new { type = "view", view_id = view.Id },
            trigger_id = testbed.Slack.Driver.IssueTriggerId(user),
            view = view.View,
            actions = new[] { new { type = "button", action_id = actionId, block_id = blockId, value, action_ts = "1505973600.000100" } },
        };
        var delivery = await testbed.Slack.Driver.SendInteractionAsync(payload);
        Assert.Equal(200, delivery.StatusCode);
    }

    private IEnumerable<(string BlockId, string ActionId)> Buttons()
    {
        foreach (var block in Blocks)
        {
            var blockId = block.TryGetProperty("block_id", out var id) ? id.GetString()! : "";
            var elements = block.TryGetProperty("elements", out var e) && block.GetProperty("type").GetString() == "actions" ? e.EnumerateArray().ToList() : [];
            if (block.TryGetProperty("accessory", out var accessory))
            {
                elements.Add(accessory);
            }

            foreach (var element in elements.Where(el => el.GetProperty("type").GetString() == "button"))
            {
                yield return (blockId, element.GetProperty("action_id").GetString()!);
            }
        }
    }

    private static IEnumerable<string> Texts(JsonElement block)
    {
        if (block.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.Object)
        {
            yield return text.GetProperty("text").GetString()!;
        }

        if (block.TryGetProperty("label", out var label))
        {
            yield return label.GetProperty("text").GetString()!;
        }

        if (block.GetProperty("type").GetString() == "context")
        {
            foreach (var element in block.GetProperty("elements").EnumerateArray().Where(e => e.TryGetProperty("text", out _)))
            {
                yield return element.GetProperty("text").GetString()!;
            }
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CallbackId} {viewId}:\n{Text}");
}
