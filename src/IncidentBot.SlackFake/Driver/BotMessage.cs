using System.Text.Json.Nodes;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// Something Slack sends the bot, in both of its shapes: the signed HTTP request to a request URL, and the Socket
/// Mode envelope (§5.2) whose <c>payload</c> holds the same fields as JSON.
/// </summary>
internal sealed record BotMessage(
    string Path,
    string HttpBody,
    string ContentType,
    string EnvelopeType,
    JsonNode SocketPayload,
    bool AcceptsResponsePayload);
