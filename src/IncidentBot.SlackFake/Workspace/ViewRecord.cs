using System.Collections.Immutable;
using System.Text.Json.Nodes;
using IncidentBot.SlackFake.Json;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>The workspace's mutable record of one modal (guarded by the workspace lock); read through <see cref="Snapshot"/>.</summary>
internal sealed class ViewRecord
{
    public required string Id { get; init; }

    public required string TriggerId { get; init; }

    public string? UserId { get; init; }

    public long Opened { get; init; }

    public required string RootViewId { get; init; }

    public string? PreviousViewId { get; init; }

    /// <summary>The view the bot sent (with the block and action ids Slack filled in).</summary>
    public required JsonObject Definition { get; set; }

    /// <summary><c>state.values</c>.</summary>
    public required JsonObject Values { get; set; }

    public required string Hash { get; set; }

    /// <summary>Position in the stack (1 = root); 0 once closed.</summary>
    public int Depth { get; set; }

    public ImmutableDictionary<string, string> Errors { get; set; } = ImmutableDictionary<string, string>.Empty;

    public string ExternalId => (string?)Definition["external_id"] ?? "";

    public bool NotifyOnClose => (bool?)Definition["notify_on_close"] ?? false;

    public bool ClearOnClose => (bool?)Definition["clear_on_close"] ?? false;

    public FakeView Snapshot(FakeSlackOptions options) => new()
    {
        Id = Id,
        TriggerId = TriggerId,
        UserId = UserId,
        Hash = Hash,
        ViewJson = SlackJson.Serialize(Render(options)),
        Opened = Opened,
        CallbackId = (string?)Definition["callback_id"] ?? "",
        PrivateMetadata = (string?)Definition["private_metadata"] ?? "",
        ExternalId = ExternalId,
        RootViewId = RootViewId,
        PreviousViewId = PreviousViewId,
        StackDepth = Depth,
        Errors = Errors,
    };

    /// <summary>The view as Slack returns it, in Slack's field order, with its defaults filled in.</summary>
    private JsonObject Render(FakeSlackOptions options)
    {
        var json = new JsonObject
        {
            ["id"] = Id,
            ["team_id"] = options.TeamId,
            ["type"] = Definition["type"]?.DeepClone(),
            ["blocks"] = Definition["blocks"]?.DeepClone() ?? new JsonArray(),
            ["private_metadata"] = (string?)Definition["private_metadata"] ?? "",
            ["callback_id"] = (string?)Definition["callback_id"] ?? "",
            ["state"] = new JsonObject { ["values"] = Values.DeepClone() },
            ["hash"] = Hash,
            ["title"] = Definition["title"]?.DeepClone(),
            ["clear_on_close"] = ClearOnClose,
            ["notify_on_close"] = NotifyOnClose,
            ["close"] = Definition["close"]?.DeepClone(),
            ["submit"] = Definition["submit"]?.DeepClone(),
            ["previous_view_id"] = PreviousViewId,
            ["root_view_id"] = RootViewId,
            ["app_id"] = options.AppId,
            ["external_id"] = ExternalId,
            ["app_installed_team_id"] = options.TeamId,
            ["bot_id"] = options.BotId,
        };
        foreach (var (name, value) in Definition)
        {
            if (!json.ContainsKey(name))
            {
                json[name] = value?.DeepClone();
            }
        }

        return json;
    }
}
