using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>
/// Modals as Slack keeps them: per user one stack (root plus at most two pushed views; a new views.open replaces
/// the stack, as a Slack client shows one), each view with its current definition, hash and input state.
/// </summary>
public sealed partial class FakeWorkspace
{
    /// <summary>Root plus two pushed views (views.push: "the app is limited to pushing 2 additional views").</summary>
    public const int MaxViewStackDepth = 3;

    private readonly List<ViewRecord> _views = [];
    private readonly Dictionary<string, List<ViewRecord>> _viewStacks = new(StringComparer.Ordinal);

    /// <summary>Every view ever opened or pushed, open or closed, in order.</summary>
    public IReadOnlyList<FakeView> Views
    {
        get
        {
            lock (_gate)
            {
                return [.. _views.Select(v => v.Snapshot(_options))];
            }
        }
    }

    public FakeView? FindView(string viewId)
    {
        lock (_gate)
        {
            return _views.FirstOrDefault(v => v.Id == viewId)?.Snapshot(_options);
        }
    }

    /// <summary>The view the user sees: the top of their stack, or null when no modal is open.</summary>
    public FakeView? TopViewOf(string userId)
    {
        lock (_gate)
        {
            return _viewStacks.TryGetValue(userId, out var stack) && stack.Count > 0 ? stack[^1].Snapshot(_options) : null;
        }
    }

    /// <summary>The user's open views, root first.</summary>
    public IReadOnlyList<FakeView> ViewStackOf(string userId)
    {
        lock (_gate)
        {
            return _viewStacks.TryGetValue(userId, out var stack) ? [.. stack.Select(v => v.Snapshot(_options))] : [];
        }
    }

    /// <summary>views.open: a new stack for the user; the views of the old one close.</summary>
    internal FakeView OpenView(string triggerId, string? userId, JsonObject definition)
    {
        lock (_gate)
        {
            RequireUniqueExternalId(definition, null);
            var stack = StackOf(userId);
            foreach (var old in stack)
            {
                old.Depth = 0;
            }

            stack.Clear();
            return AddToStack(stack, triggerId, userId, definition, previous: null).Snapshot(_options);
        }
    }

    /// <summary>views.push or <c>response_action: push</c>: on top of the user's open stack.</summary>
    internal FakeView PushView(string triggerId, string? userId, JsonObject definition)
    {
        lock (_gate)
        {
            var stack = StackOf(userId);
            if (stack.Count == 0)
            {
                // Slack only pushes onto a modal the trigger came from (python-slack-sdk#804: a shortcut's trigger is refused).
                throw new FakeSlackException("invalid_trigger_id", ["no modal is open for the trigger's user"]);
            }

            if (stack.Count >= MaxViewStackDepth)
            {
                throw new FakeSlackException("push_limit_reached");
            }

            RequireUniqueExternalId(definition, null);
            return AddToStack(stack, triggerId, userId, definition, stack[^1]).Snapshot(_options);
        }
    }

    /// <summary>views.update: by view_id or external_id, refused when <paramref name="hash"/> is given and stale.</summary>
    internal FakeView UpdateView(string? viewId, string? externalId, string? hash, JsonObject definition)
    {
        lock (_gate)
        {
            var view = FindShown(viewId, externalId) ?? throw new FakeSlackException("not_found");
            return Replace(view, hash, definition);
        }
    }

    /// <summary>The type (modal, home) of the shown view views.update would change, null when there is none.</summary>
    internal string? ShownViewType(string? viewId, string? externalId)
    {
        lock (_gate)
        {
            return (string?)FindShown(viewId, externalId)?.Definition["type"];
        }
    }

    private ViewRecord? FindShown(string? viewId, string? externalId) =>
        _views.FirstOrDefault(v => v.Depth > 0 && (viewId is not null ? v.Id == viewId : v.ExternalId == externalId));

    /// <summary>A new definition for a shown view (same id, new hash, input state kept by block), refused when <paramref name="hash"/> is stale.</summary>
    private FakeView Replace(ViewRecord view, string? hash, JsonObject definition)
    {
        if (hash is not null && hash != view.Hash)
        {
            throw new FakeSlackException("hash_conflict");
        }

        RequireUniqueExternalId(definition, view);
        AssignIds(definition);
        view.Values = ViewInputs.Values(definition, view.Values);
        view.Definition = definition;
        view.Hash = NewViewHash();
        view.Errors = ImmutableDictionary<string, string>.Empty;
        return view.Snapshot(_options);
    }

    /// <summary>A person types or picks in an input of their top view.</summary>
    internal FakeView SetViewValue(string userId, string viewId, string blockId, string actionId, string value)
    {
        lock (_gate)
        {
            var view = RequireTopViewLocked(userId, viewId);
            var element = ViewInputs.Find(view.Definition, blockId, actionId)
                ?? throw new FakeSlackException("not_found", [$"view {viewId} has no input {blockId}/{actionId}"]);
            if (view.Values[blockId] is not JsonObject block)
            {
                view.Values[blockId] = block = new JsonObject();
            }

            block[actionId] = ViewInputs.Entry(element, value);
            return view.Snapshot(_options);
        }
    }

    /// <summary>The person's top view, which is the only one they can click, type into, submit or close.</summary>
    internal FakeView RequireTopView(string userId, string viewId)
    {
        lock (_gate)
        {
            return RequireTopViewLocked(userId, viewId).Snapshot(_options);
        }
    }

    /// <summary>The bot answered a submission with errors: shown under those input blocks, the view stays.</summary>
    internal FakeView ShowViewErrors(string viewId, IReadOnlyDictionary<string, string> errors)
    {
        lock (_gate)
        {
            var view = _views.First(v => v.Id == viewId);
            view.Errors = errors.ToImmutableDictionary(StringComparer.Ordinal);
            return view.Snapshot(_options);
        }
    }

    /// <summary>Closes the user's top view (or, with <paramref name="clearStack"/>, all of them); returns the closed views, top first.</summary>
    internal IReadOnlyList<FakeView> CloseView(string userId, string viewId, bool clearStack)
    {
        lock (_gate)
        {
            RequireTopViewLocked(userId, viewId);
            var stack = _viewStacks[userId];
            var closing = clearStack ? [.. stack] : stack.GetRange(stack.Count - 1, 1);
            stack.RemoveRange(stack.Count - closing.Count, closing.Count);
            closing.Reverse();
            return [.. closing.Select(v =>
            {
                v.Depth = 0;
                return v.Snapshot(_options);
            })];
        }
    }

    /// <summary>Whether closing this view closes the whole stack (<c>clear_on_close</c>).</summary>
    internal bool ClearsOnClose(string viewId)
    {
        lock (_gate)
        {
            return _views.First(v => v.Id == viewId).ClearOnClose;
        }
    }

    internal JsonObject ViewDefinition(string viewId)
    {
        lock (_gate)
        {
            return (JsonObject)_views.First(v => v.Id == viewId).Definition.DeepClone();
        }
    }

    private ViewRecord RequireTopViewLocked(string userId, string viewId)
    {
        if (!_viewStacks.TryGetValue(userId, out var stack) || stack.Count == 0 || stack[^1].Id != viewId)
        {
            throw new FakeSlackException("view_not_shown", [$"{viewId} is not the modal {userId} sees"]);
        }

        return stack[^1];
    }

    private List<ViewRecord> StackOf(string? userId)
    {
        var key = userId ?? "";
        if (!_viewStacks.TryGetValue(key, out var stack))
        {
            _viewStacks[key] = stack = [];
        }

        return stack;
    }

    private ViewRecord AddToStack(List<ViewRecord> stack, string triggerId, string? userId, JsonObject definition, ViewRecord? previous)
    {
        var view = NewView(triggerId, userId, definition, stack.Count + 1, previous);
        stack.Add(view);
        return view;
    }

    /// <summary>A view shown at <paramref name="depth"/> (1 for a root or a Home tab), with the ids Slack fills in.</summary>
    private ViewRecord NewView(string triggerId, string? userId, JsonObject definition, int depth, ViewRecord? previous)
    {
        AssignIds(definition);
        var id = _ids.Next("V");
        var view = new ViewRecord
        {
            Id = id,
            TriggerId = triggerId,
            UserId = userId,
            Opened = NowUnixSeconds,
            Definition = definition,
            Values = ViewInputs.Values(definition, null),
            Hash = NewViewHash(),
            Depth = depth,
            RootViewId = previous?.RootViewId ?? id,
            PreviousViewId = previous?.Id,
        };
        _views.Add(view);
        return view;
    }

    /// <summary>external_id is unique among all of the team's views (Slack: <c>duplicate_external_id</c>).</summary>
    private void RequireUniqueExternalId(JsonObject definition, ViewRecord? self)
    {
        if ((string?)definition["external_id"] is { Length: > 0 } externalId && _views.Any(v => v != self && v.ExternalId == externalId))
        {
            throw new FakeSlackException("duplicate_external_id");
        }
    }

    /// <summary>Slack fills in a block_id for blocks and an action_id for elements sent without one.</summary>
    private void AssignIds(JsonObject definition)
    {
        foreach (var block in (definition["blocks"] as JsonArray ?? []).OfType<JsonObject>())
        {
            block["block_id"] ??= ShortId();
            var elements = (block["elements"] as JsonArray ?? []).OfType<JsonObject>()
                .Concat(new[] { block["element"], block["accessory"] }.OfType<JsonObject>());
            foreach (var element in elements.Where(e => (string?)e["type"] is not ("plain_text" or "mrkdwn" or "image")))
            {
                element["action_id"] ??= ShortId();
            }
        }
    }

    private static string ShortId() => Guid.NewGuid().ToString("N")[..5];

    private string NewViewHash() => $"{NowUnixSeconds}.{Guid.NewGuid().ToString("N")[..8]}";
}
