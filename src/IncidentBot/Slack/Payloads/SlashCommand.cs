using System.Text.Json;

namespace IncidentBot.Slack.Payloads;

/// <summary>A slash command invocation, as Slack sends it (form fields on HTTP, JSON over Socket Mode).</summary>
public sealed record SlashCommand
{
    public required string Command { get; init; }
    public string Text { get; init; } = "";
    public required string UserId { get; init; }
    public string? UserName { get; init; }
    public required string ChannelId { get; init; }
    public string? ChannelName { get; init; }
    public string? TeamId { get; init; }
    public string? TeamDomain { get; init; }
    public string? EnterpriseId { get; init; }
    public string? ResponseUrl { get; init; }
    public string? TriggerId { get; init; }
    public string? ApiAppId { get; init; }
    public bool IsEnterpriseInstall { get; init; }

    /// <summary>Builds a command from Slack's form fields; null when a field Slack always sends is missing.</summary>
    public static SlashCommand? FromFields(Func<string, string?> field)
    {
        var command = field("command");
        var userId = field("user_id");
        var channelId = field("channel_id");
        if (string.IsNullOrWhiteSpace(command) || string.IsNullOrWhiteSpace(userId) || string.IsNullOrWhiteSpace(channelId))
        {
            return null;
        }

        return new SlashCommand
        {
            Command = command,
            Text = field("text") ?? "",
            UserId = userId,
            UserName = field("user_name"),
            ChannelId = channelId,
            ChannelName = field("channel_name"),
            TeamId = field("team_id"),
            TeamDomain = field("team_domain"),
            EnterpriseId = field("enterprise_id"),
            ResponseUrl = field("response_url"),
            TriggerId = field("trigger_id"),
            ApiAppId = field("api_app_id"),
            IsEnterpriseInstall = string.Equals(field("is_enterprise_install"), "true", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>
    /// Builds a command from the JSON object Socket Mode sends: the form's fields, as strings (a boolean or number
    /// is read as its text). Null when it is not an object or a field Slack always sends is missing.
    /// </summary>
    public static SlashCommand? FromJson(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return FromFields(name => payload.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null);
    }
}

/// <summary>What a command handler answers at once (within Slack's 3 seconds).</summary>
public sealed record SlashCommandResponse
{
    public required string Text { get; init; }
    public IReadOnlyList<Blocks.Block>? Blocks { get; init; }
    public string ResponseType { get; init; } = ResponseTypes.Ephemeral;

    public static SlashCommandResponse Ephemeral(string text) => new() { Text = text };
    public static SlashCommandResponse InChannel(string text) => new() { Text = text, ResponseType = ResponseTypes.InChannel };
}

public static class ResponseTypes
{
    public const string Ephemeral = "ephemeral";
    public const string InChannel = "in_channel";
}
