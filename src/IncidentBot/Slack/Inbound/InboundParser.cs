using System.Text.Json;
using IncidentBot.Slack.Json;
using IncidentBot.Slack.Payloads;
using Microsoft.AspNetCore.WebUtilities;

namespace IncidentBot.Slack.Inbound;

/// <summary>A delivery once read: work for a handler, or the reason there is none.</summary>
internal abstract record ParsedDelivery
{
    private ParsedDelivery()
    {
    }

    public sealed record Command(SlashCommand Value) : ParsedDelivery;

    public sealed record Interaction(InteractionPayload Value) : ParsedDelivery;

    public sealed record Event(EventCallback Value) : ParsedDelivery;

    public sealed record Challenge(string Value) : ParsedDelivery;

    /// <summary>Slack's notice that it drops event deliveries to this app for a while (slack-protocol.md §3.3).</summary>
    public sealed record RateLimited : ParsedDelivery;

    /// <summary>An events envelope of a type we do not handle: acknowledged, so that Slack does not send it again.</summary>
    public sealed record Ignored(string Type) : ParsedDelivery;

    public sealed record Malformed(string Reason) : ParsedDelivery;
}

/// <summary>
/// The one reader of Slack's inbound payloads, whatever the transport: commands from form fields or their JSON
/// object, interactions from the <c>payload</c> field or the interaction JSON, events from the Events API JSON.
/// </summary>
internal static class InboundParser
{
    private const string CommandFields = "a slash command needs command, user_id and channel_id";

    public static ParsedDelivery Parse(InboundDelivery delivery)
    {
        try
        {
            return (delivery.Kind, delivery.Body) switch
            {
                (InboundKind.SlashCommand, InboundBody.FormFields form) => Command(FromForm(form)),
                (InboundKind.SlashCommand, var json) => WithJson(json, root => Command(SlashCommand.FromJson(root))),
                (InboundKind.Interaction, InboundBody.FormFields form) => InteractionField(form),
                (InboundKind.Interaction, var json) => WithJson(json, root => Interaction(root)),
                (InboundKind.Event, InboundBody.FormFields) => new ParsedDelivery.Malformed("events are JSON, not form fields"),
                (InboundKind.Event, var json) => WithJson(json, Event),
                _ => new ParsedDelivery.Malformed($"unknown kind {delivery.Kind}"),
            };
        }
        catch (JsonException exception)
        {
            return new ParsedDelivery.Malformed(exception.Message);
        }
    }

    private static SlashCommand? FromForm(InboundBody.FormFields form)
    {
        var fields = QueryHelpers.ParseQuery(form.UrlEncoded);
        return SlashCommand.FromFields(name => fields.TryGetValue(name, out var value) ? value.ToString() : null);
    }

    private static ParsedDelivery Command(SlashCommand? command) =>
        command is null ? new ParsedDelivery.Malformed(CommandFields) : new ParsedDelivery.Command(command);

    private static ParsedDelivery InteractionField(InboundBody.FormFields form)
    {
        var fields = QueryHelpers.ParseQuery(form.UrlEncoded);
        if (!fields.TryGetValue("payload", out var json) || string.IsNullOrWhiteSpace(json))
        {
            return new ParsedDelivery.Malformed("no payload field");
        }

        return Interaction(JsonSerializer.Deserialize<InteractionPayload>(json.ToString(), SlackJson.Options));
    }

    private static ParsedDelivery Interaction(JsonElement root) => Interaction(root.Deserialize<InteractionPayload>(SlackJson.Options));

    private static ParsedDelivery Interaction(InteractionPayload? payload) =>
        payload is null ? new ParsedDelivery.Malformed("no payload") : new ParsedDelivery.Interaction(payload);

    private static ParsedDelivery Event(JsonElement root)
    {
        var type = root.ValueKind == JsonValueKind.Object ? SlackEventConverter.StringOrNull(root, "type") : null;
        switch (type)
        {
            case "url_verification" when SlackEventConverter.StringOrNull(root, "challenge") is { Length: > 0 } challenge:
                return new ParsedDelivery.Challenge(challenge);
            case "event_callback" when root.Deserialize<EventCallback>(SlackJson.Options) is { } callback:
                return new ParsedDelivery.Event(callback);
            case "app_rate_limited":
                return new ParsedDelivery.RateLimited();
            case "url_verification" or "event_callback" or null:
                return new ParsedDelivery.Malformed(type is null ? "no type" : $"{type} without its fields");
            default:
                return new ParsedDelivery.Ignored(type);
        }
    }

    private static ParsedDelivery WithJson(InboundBody body, Func<JsonElement, ParsedDelivery> read)
    {
        switch (body)
        {
            case InboundBody.JsonValue value:
                return read(value.Element);
            case InboundBody.JsonText text:
                using (var document = JsonDocument.Parse(text.Utf8))
                {
                    return read(document.RootElement);
                }

            default:
                return new ParsedDelivery.Malformed("not JSON");
        }
    }
}
