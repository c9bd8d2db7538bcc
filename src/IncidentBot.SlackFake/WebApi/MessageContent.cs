using System.Text.Json;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>The content arguments shared by chat.postMessage, chat.postEphemeral and chat.update.</summary>
internal sealed record MessageContent(string? Text, JsonElement? Blocks, bool HasAttachments, bool Truncated)
{
    public const int MaxTextLength = 40_000;

    public bool IsEmpty => Text is null && (Blocks is null || Blocks.Value.GetArrayLength() == 0) && !HasAttachments;

    /// <summary>Reads text/blocks/attachments; invalid blocks fail, over-long text is truncated as Slack does.</summary>
    public static MessageContent Read(ApiArguments arguments)
    {
        var text = arguments.Get("text");
        var truncated = text is { Length: > MaxTextLength };
        if (truncated)
        {
            text = text![..MaxTextLength];
        }

        var blocks = arguments.Json("blocks", "invalid_blocks_format");
        if (blocks is { } array)
        {
            var errors = BlockKitValidator.Validate(array, BlockKitValidator.MaxMessageBlocks);
            if (errors.Count > 0)
            {
                throw new FakeSlackException("invalid_blocks", errors);
            }
        }

        return new MessageContent(text, blocks, arguments.Get("attachments") is not null, truncated);
    }

    /// <summary>Message metadata; the bot's idempotency key, so malformed metadata must fail loudly.</summary>
    public static FakeMessageMetadata? ReadMetadata(ApiArguments arguments)
    {
        if (arguments.Json("metadata", "invalid_metadata_format") is not { } metadata)
        {
            return null;
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            throw new FakeSlackException("invalid_metadata_format");
        }

        if (!metadata.TryGetProperty("event_type", out var eventType) || eventType.ValueKind != JsonValueKind.String
            || string.IsNullOrEmpty(eventType.GetString())
            || !metadata.TryGetProperty("event_payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            throw new FakeSlackException("invalid_metadata_schema");
        }

        return new FakeMessageMetadata(eventType.GetString()!, payload.Clone());
    }
}
