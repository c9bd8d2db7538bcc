using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.SocketMode;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Slack.SocketMode;

/// <summary>From an envelope frame to the dispatcher and back to the ack, without a socket.</summary>
public sealed class EnvelopeHandlerTests : IDisposable
{
    private readonly List<string> _handled = [];
    private readonly ServiceProvider _services;

    public EnvelopeHandlerTests()
    {
        _services = Build(ledger: null);
    }

    private EnvelopeHandler Handler => _services.GetRequiredService<EnvelopeHandler>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_slash_command_is_answered_in_the_ack_payload()
    {
        var envelope = Parse("""
            {"envelope_id":"e1","type":"slash_commands","accepts_response_payload":true,"retry_attempt":0,"retry_reason":"",
             "payload":{"command":"/incident","text":"hello","user_id":"U0ANA","channel_id":"C1","team_id":"T1","is_enterprise_install":"false"}}
            """);

        var ack = await Handler.HandleAsync(envelope, CancellationToken.None);

        Assert.Equal("e1", ack!.EnvelopeId);
        Assert.Equal("""{"envelope_id":"e1","payload":{"text":"echo hello","response_type":"ephemeral"}}""", Encoding.UTF8.GetString(ack.ToUtf8()));
    }

    [Fact]
    public async Task An_answer_is_left_out_of_the_ack_when_the_envelope_does_not_accept_one()
    {
        var envelope = Parse("""
            {"envelope_id":"e2","type":"slash_commands","accepts_response_payload":false,
             "payload":{"command":"/incident","text":"hi","user_id":"U0ANA","channel_id":"C1"}}
            """);

        var ack = await Handler.HandleAsync(envelope, CancellationToken.None);

        Assert.Equal("""{"envelope_id":"e2"}""", Encoding.UTF8.GetString(ack!.ToUtf8()));
        Assert.Equal(["command hi"], _handled);
    }

    [Fact]
    public async Task The_same_event_in_a_new_envelope_is_acked_without_being_handled_again()
    {
        var first = Parse(EventEnvelope("e3", retryAttempt: 0));
        var again = Parse(EventEnvelope("e4", retryAttempt: 1));

        var firstAck = await Handler.HandleAsync(first, CancellationToken.None);
        var againAck = await Handler.HandleAsync(again, CancellationToken.None);

        Assert.Equal(("e3", "e4"), (firstAck!.EnvelopeId, againAck!.EnvelopeId));
        Assert.Equal(["message hello 0"], _handled);
    }

    [Theory]
    [InlineData("""{"envelope_id":"e5","type":"events_api","payload":{"type":"event_callback","event_id":"Ev1","event":[]}}""")]
    [InlineData("""{"envelope_id":"e6","type":"events_api","payload":{"type":"app_rate_limited"}}""")]
    [InlineData("""{"envelope_id":"e7","type":"slash_commands","payload":{"text":"no command"}}""")]
    [InlineData("""{"envelope_id":"e8","type":"interactive","payload":[1]}""")]
    [InlineData("""{"envelope_id":"e9","type":"brand_new_kind","payload":{}}""")]
    public async Task Malformed_or_unknown_envelopes_are_acked_so_that_slack_does_not_redeliver_them_and_nothing_is_handled(string frame)
    {
        var ack = await Handler.HandleAsync(Parse(frame), CancellationToken.None);

        Assert.NotNull(ack);
        Assert.Null(ack.Payload);
        Assert.Empty(_handled);
    }

    [Fact]
    public void Hello_and_disconnect_frames_are_read_as_such()
    {
        var hello = SocketModeMessage.Parse("""{"type":"hello","num_connections":2,"debug_info":{"host":"applink-1","approximate_connection_time":18060}}"""u8);
        var disconnect = SocketModeMessage.Parse("""{"type":"disconnect","reason":"link_disabled","debug_info":{"host":"applink-1"}}"""u8);

        Assert.Equal((2, 18060), (Assert.IsType<SocketModeHello>(hello).NumConnections, ((SocketModeHello)hello).DebugInfo!.ApproximateConnectionTime));
        Assert.True(Assert.IsType<SocketModeDisconnect>(disconnect).IsFinal);
    }

    [Fact]
    public async Task A_command_redelivered_after_a_restart_is_acked_with_its_first_answer_and_not_handled_again()
    {
        var durable = new InMemoryLedger();
        const string Frame = """
            {"envelope_id":"e10","type":"slash_commands","accepts_response_payload":true,"retry_attempt":RETRY,
             "payload":{"command":"/incident","text":"once","user_id":"U0ANA","channel_id":"C1"}}
            """;

        string first;
        await using (var before = Build(durable))
        {
            first = Encoding.UTF8.GetString((await before.GetRequiredService<EnvelopeHandler>().HandleAsync(Parse(Frame.Replace("RETRY", "0", StringComparison.Ordinal)), CancellationToken.None))!.ToUtf8());
        }

        await using var after = Build(durable);
        var again = await after.GetRequiredService<EnvelopeHandler>().HandleAsync(Parse(Frame.Replace("RETRY", "1", StringComparison.Ordinal)), CancellationToken.None);

        Assert.Equal("""{"envelope_id":"e10","payload":{"text":"echo once","response_type":"ephemeral"}}""", first);
        Assert.Equal(first, Encoding.UTF8.GetString(again!.ToUtf8()));
        Assert.Equal(["command once"], _handled);
    }

    /// <summary>A bot process: a fresh provider (so a fresh in-memory guard), with the durable ledger that outlives it.</summary>
    private ServiceProvider Build(ISlackDeliveryLedger? ledger) => SlackAlone.Build(
        slack => slack
            .AddCommand<EchoCommand>("/incident")
            .AddEventHandler<MessageEvent, RecordMessages>(),
        services =>
        {
            services.AddSingleton(_handled);
            if (ledger is not null)
            {
                services.AddSingleton(ledger);
            }
        });

    private static string EventEnvelope(string envelopeId, int retryAttempt) => """
        {"envelope_id":"ENVELOPE","type":"events_api","accepts_response_payload":false,"retry_attempt":RETRY,"retry_reason":"timeout",
         "payload":{"type":"event_callback","event_id":"Ev0SAME","event_time":1506000000,
                    "event":{"type":"message","channel":"C1","user":"U0ANA","text":"hello","ts":"1506000000.000100"}}}
        """.Replace("ENVELOPE", envelopeId, StringComparison.Ordinal).Replace("RETRY", retryAttempt.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static SocketModeEnvelope Parse(string frame) => Assert.IsType<SocketModeEnvelope>(SocketModeMessage.Parse(Encoding.UTF8.GetBytes(frame)));

    private sealed class EchoCommand(List<string> handled) : ISlashCommandHandler
    {
        public Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
        {
            handled.Add($"command {command.Text}");
            return Task.FromResult<SlashCommandResponse?>(SlashCommandResponse.Ephemeral($"echo {command.Text}"));
        }
    }

    private sealed class RecordMessages(List<string> handled, SlackRequestContext context) : IEventHandler<MessageEvent>
    {
        public Task HandleAsync(MessageEvent slackEvent, CancellationToken cancellationToken)
        {
            handled.Add($"message {slackEvent.Text} {context.Delivery.RetryNum}");
            return Task.CompletedTask;
        }
    }

    /// <summary>Stands in for the database: what it completed survives the provider that wrote it.</summary>
    private sealed class InMemoryLedger : ISlackDeliveryLedger
    {
        private readonly ConcurrentDictionary<string, DeliveryRecord> _records = new();

        // One process: its redelivery guard keeps two handlings of one key apart already.
        public Task<IAsyncDisposable> HoldAsync(string deliveryKey, CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable>(NothingHeld.Instance);

        public Task<DeliveryRecord?> FindAsync(string deliveryKey, CancellationToken cancellationToken) =>
            Task.FromResult(_records.TryGetValue(deliveryKey, out var record) ? record : null);

        public void Stage(string deliveryKey)
        {
        }

        public Task<bool> CompleteAsync(string deliveryKey, JsonElement? answer, CancellationToken cancellationToken) =>
            Task.FromResult(_records.TryAdd(deliveryKey, new DeliveryRecord(answer)));
    }
}
