using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Json;
using IncidentBot.SlackFake.WebApi;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// Applies the bot's answer to a view_submission as Slack does (§4.3): empty 200 closes the view, <c>clear</c> the
/// stack, <c>update</c> replaces it, <c>push</c> stacks a new one, <c>errors</c> shows messages under input blocks.
/// Anything else leaves the view as it was and says why.
/// </summary>
internal sealed class ViewSubmissionAnswer(FakeWorkspace workspace)
{
    public ViewInteractionResult Apply(string userId, FakeView submitted, DeliveryResult delivery, string triggerId)
    {
        var result = new ViewInteractionResult(delivery, triggerId, null);
        if (!delivery.Succeeded || delivery.StatusCode != 200)
        {
            return Done(userId, result with { Refusal = ViewInteractionResult.TroubleConnecting });
        }

        if (string.IsNullOrWhiteSpace(delivery.Body))
        {
            workspace.CloseView(userId, submitted.Id, clearStack: false);
            return Done(userId, result);
        }

        if (SlackJson.TryParse(delivery.Body) is not { ValueKind: JsonValueKind.Object } answer)
        {
            return Done(userId, result with { Refusal = "The answer to view_submission is neither empty nor a JSON object." });
        }

        var action = answer.TryGetProperty("response_action", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        result = result with { ResponseAction = action };
        try
        {
            return Done(userId, action switch
            {
                null => Close(userId, submitted, result),
                "clear" => Clear(userId, submitted, result),
                "errors" => Errors(submitted, answer, result),
                "update" => Update(submitted, answer, result),
                "push" => Push(userId, answer, triggerId, result),
                _ => result with { Refusal = $"Unknown response_action '{action}'." },
            });
        }
        catch (FakeSlackException refused)
        {
            return Done(userId, result with { Refusal = refused.Message });
        }
    }

    private ViewInteractionResult Close(string userId, FakeView submitted, ViewInteractionResult result)
    {
        workspace.CloseView(userId, submitted.Id, clearStack: false);
        return result;
    }

    private ViewInteractionResult Clear(string userId, FakeView submitted, ViewInteractionResult result)
    {
        workspace.CloseView(userId, submitted.Id, clearStack: true);
        return result;
    }

    /// <summary>Slack accepts an errors map only when every key is the block_id of an input block in the submitted view.</summary>
    private ViewInteractionResult Errors(FakeView submitted, JsonElement answer, ViewInteractionResult result)
    {
        if (!answer.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
        {
            return result with { Refusal = "response_action errors without an errors object." };
        }

        var map = errors.EnumerateObject().ToImmutableDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
        result = result with { Errors = map };
        var inputs = ViewInputs.InputBlockIds(workspace.ViewDefinition(submitted.Id));
        var strangers = map.Keys.Where(k => !inputs.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (strangers.Count > 0 || map.Count == 0)
        {
            return result with { Refusal = $"invalid_arguments: errors must be keyed by input block_ids of the view; not inputs: {string.Join(", ", strangers)}" };
        }

        workspace.ShowViewErrors(submitted.Id, map);
        return result;
    }

    private ViewInteractionResult Update(FakeView submitted, JsonElement answer, ViewInteractionResult result)
    {
        workspace.UpdateView(submitted.Id, null, null, Definition(answer));
        return result;
    }

    private ViewInteractionResult Push(string userId, JsonElement answer, string triggerId, ViewInteractionResult result)
    {
        workspace.PushView(triggerId, userId, Definition(answer));
        return result;
    }

    /// <summary>The answer's view, validated exactly as views.update would.</summary>
    private static JsonObject Definition(JsonElement answer)
    {
        if (!answer.TryGetProperty("view", out var view))
        {
            throw new FakeSlackException("invalid_arguments", ["missing required field: view"]);
        }

        return JsonNode.Parse(ViewValidator.Validate(view.GetRawText()).GetRawText())!.AsObject();
    }

    private ViewInteractionResult Done(string userId, ViewInteractionResult result) => result with { View = workspace.TopViewOf(userId) };
}
