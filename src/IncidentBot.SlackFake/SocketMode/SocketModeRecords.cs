using System.Text.Json;

namespace IncidentBot.SlackFake.SocketMode;

/// <summary>An envelope the fake sent (or tried to send) on a Socket Mode connection.</summary>
/// <param name="Sequence">Order among everything that happened on the fake's sockets (opens, closes, envelopes, acks).</param>
/// <param name="Lost">Sent on a silent connection: the bot never saw it.</param>
public sealed record SocketEnvelopeSent(int Sequence, string EnvelopeId, string Type, int RetryAttempt, string RetryReason, int ConnectionId, bool Lost);

/// <summary>An acknowledgement the bot sent: <c>{"envelope_id":…,"payload":…}</c>.</summary>
/// <param name="Lost">Dropped by <see cref="FakeSocketMode.LoseNextAcks"/>: Slack behaves as if it never arrived.</param>
public sealed record SocketAck(int Sequence, string EnvelopeId, int ConnectionId, JsonElement? Payload, bool Lost);
