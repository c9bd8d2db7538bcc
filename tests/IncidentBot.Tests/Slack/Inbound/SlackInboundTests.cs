using System.Text;
using System.Text.Json;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Payloads;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace IncidentBot.Tests.Slack.Inbound;

/// <summary>The pipeline both transports share, with the durable delivery ledger mocked.</summary>
public sealed class SlackInboundTests : IDisposable
{
    private const string Command = """{"command":"/incident","text":"hello","user_id":"U0ANA","channel_id":"C1"}""";
    private const string Key = "envelope:e1";

    private readonly List<string> _steps = [];
    private readonly Mock<ISlackDeliveryLedger> _ledger = new(MockBehavior.Strict);
    private readonly ServiceProvider _services;

    public SlackInboundTests()
    {
        _services = SlackAlone.Build(
            slack => slack
                .AddCommand<EchoCommand>("/incident")
                .AddBlockAction<FailingAction>("fail")
                .AddEventHandler<MessageEvent, RecordMessages>(),
            services => services.AddSingleton(_steps).AddScoped(_ => _ledger.Object));
    }

    private SlackInbound Inbound => _services.GetRequiredService<SlackInbound>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_command_whose_key_is_in_the_ledger_is_acknowledged_with_the_recorded_answer_and_not_handled()
    {
        var recorded = JsonDocument.Parse("""{"text":"echo hello","response_type":"ephemeral"}""").RootElement;
        ExpectHold();
        _ledger.Setup(l => l.FindAsync(Key, It.IsAny<CancellationToken>())).ReturnsAsync(new DeliveryRecord(recorded));

        var result = await Inbound.HandleAsync(SocketModeCommand(Key), CancellationToken.None);

        Assert.Equal(InboundOutcome.Acknowledge, result.Outcome);
        Assert.Equal(recorded.GetRawText(), result.Answer!.Value.GetRawText());
        Assert.Equal(["hold envelope:e1", "release envelope:e1"], _steps);
        _ledger.Verify(l => l.Stage(It.IsAny<string>()), Times.Never);
        _ledger.Verify(l => l.CompleteAsync(It.IsAny<string>(), It.IsAny<JsonElement?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_new_command_is_staged_before_its_handler_runs_and_completed_with_its_answer_after()
    {
        ExpectNewDelivery();

        var result = await Inbound.HandleAsync(SocketModeCommand(Key), CancellationToken.None);

        Assert.Equal(InboundOutcome.Acknowledge, result.Outcome);
        Assert.Equal(
            ["hold envelope:e1", "find envelope:e1", "stage envelope:e1", "command hello", """complete envelope:e1 {"text":"echo hello","response_type":"ephemeral"}""", "release envelope:e1"],
            _steps);
    }

    [Fact]
    public async Task A_command_another_replica_recorded_first_is_acknowledged_with_that_replicas_answer_not_its_own()
    {
        var recorded = JsonDocument.Parse("""{"text":"the other replica's answer","response_type":"ephemeral"}""").RootElement;
        ExpectNewDelivery();
        _ledger.SetupSequence(l => l.FindAsync(Key, It.IsAny<CancellationToken>()))
            .ReturnsAsync((DeliveryRecord?)null)
            .ReturnsAsync(new DeliveryRecord(recorded));
        _ledger.Setup(l => l.CompleteAsync(Key, It.IsAny<JsonElement?>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var result = await Inbound.HandleAsync(SocketModeCommand(Key), CancellationToken.None);

        Assert.Equal(InboundOutcome.Acknowledge, result.Outcome);
        Assert.Equal(recorded.GetRawText(), result.Answer!.Value.GetRawText());
    }

    [Fact]
    public async Task A_command_another_replica_recorded_first_without_its_answer_yet_is_left_for_slack_to_deliver_again()
    {
        ExpectNewDelivery();
        _ledger.SetupSequence(l => l.FindAsync(Key, It.IsAny<CancellationToken>()))
            .ReturnsAsync((DeliveryRecord?)null)
            .ReturnsAsync(new DeliveryRecord(null));
        _ledger.Setup(l => l.CompleteAsync(Key, It.IsAny<JsonElement?>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var result = await Inbound.HandleAsync(SocketModeCommand(Key), CancellationToken.None);

        Assert.Equal(InboundOutcome.Retry, result.Outcome);
        Assert.Null(result.Answer);
    }

    [Fact]
    public async Task A_failing_interaction_is_staged_but_not_completed_and_slack_is_asked_to_deliver_it_again()
    {
        ExpectNewDelivery();
        var delivery = new InboundDelivery
        {
            Kind = InboundKind.Interaction,
            Body = InboundBody.Json(JsonDocument.Parse("""{"type":"block_actions","user":{"id":"U0ANA"},"actions":[{"action_id":"fail"}]}""").RootElement),
            Source = "test",
            RedeliveryKey = Key,
        };

        var result = await Inbound.HandleAsync(delivery, CancellationToken.None);

        Assert.Equal(InboundOutcome.Retry, result.Outcome);
        Assert.Equal(["hold envelope:e1", "find envelope:e1", "stage envelope:e1", "action fail", "release envelope:e1"], _steps);
    }

    [Fact]
    public async Task A_command_without_a_redelivery_key_never_consults_the_ledger()
    {
        var delivery = new InboundDelivery
        {
            Kind = InboundKind.SlashCommand,
            Body = InboundBody.Form("command=%2Fincident&text=hello&user_id=U0ANA&channel_id=C1"),
            Source = "/slack/commands",
        };

        var result = await Inbound.HandleAsync(delivery, CancellationToken.None);

        Assert.Equal("""{"text":"echo hello","response_type":"ephemeral"}""", result.Answer!.Value.GetRawText());
        Assert.Equal(["command hello"], _steps);
        _ledger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Events_keep_their_handlers_ledger_and_never_consult_the_delivery_ledger()
    {
        var delivery = new InboundDelivery
        {
            Kind = InboundKind.Event,
            Body = InboundBody.Json(Encoding.UTF8.GetBytes("""
                {"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel":"C1","user":"U0ANA","text":"hi","ts":"1506000000.000100"}}
                """)),
            Source = "test",
            RedeliveryKey = Key,
        };

        var result = await Inbound.HandleAsync(delivery, CancellationToken.None);

        Assert.Equal(InboundOutcome.Acknowledge, result.Outcome);
        Assert.Equal(["message hi"], _steps);
        _ledger.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Without_a_durable_ledger_the_default_remembers_nothing()
    {
        await using var provider = SlackAlone.Build(_ => { });
        await using var scope = provider.CreateAsyncScope();

        var ledger = scope.ServiceProvider.GetRequiredService<ISlackDeliveryLedger>();

        Assert.Null(await ledger.FindAsync(Key, CancellationToken.None));
    }

    /// <summary>The ledger's hold against other replicas, taken first and released last, whatever the handler did.</summary>
    private void ExpectHold() =>
        _ledger.Setup(l => l.HoldAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string key, CancellationToken _) => _steps.Add($"hold {key}"))
            .ReturnsAsync((string key, CancellationToken _) => new Release(_steps, key));

    private void ExpectNewDelivery()
    {
        ExpectHold();
        _ledger.Setup(l => l.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string key, CancellationToken _) => _steps.Add($"find {key}"))
            .ReturnsAsync((DeliveryRecord?)null);
        _ledger.Setup(l => l.Stage(It.IsAny<string>())).Callback((string key) => _steps.Add($"stage {key}"));
        _ledger.Setup(l => l.CompleteAsync(It.IsAny<string>(), It.IsAny<JsonElement?>(), It.IsAny<CancellationToken>()))
            .Callback((string key, JsonElement? answer, CancellationToken _) => _steps.Add($"complete {key} {answer?.GetRawText()}"))
            .ReturnsAsync(true);
    }

    private static InboundDelivery SocketModeCommand(string key) => new()
    {
        Kind = InboundKind.SlashCommand,
        Body = InboundBody.Json(JsonDocument.Parse(Command).RootElement),
        Source = "test",
        RedeliveryKey = key,
    };

    private sealed class EchoCommand(List<string> steps) : ISlashCommandHandler
    {
        public Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
        {
            steps.Add($"command {command.Text}");
            return Task.FromResult<SlashCommandResponse?>(SlashCommandResponse.Ephemeral($"echo {command.Text}"));
        }
    }

    private sealed class FailingAction(List<string> steps) : IBlockActionHandler
    {
        public Task HandleAsync(BlockAction action, BlockActions payload, CancellationToken cancellationToken)
        {
            steps.Add($"action {action.ActionId}");
            throw new InvalidOperationException("the database is down");
        }
    }

    private sealed class RecordMessages(List<string> steps) : IEventHandler<MessageEvent>
    {
        public Task HandleAsync(MessageEvent slackEvent, CancellationToken cancellationToken)
        {
            steps.Add($"message {slackEvent.Text}");
            return Task.CompletedTask;
        }
    }

    private sealed class Release(List<string> steps, string key) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            steps.Add($"release {key}");
            return ValueTask.CompletedTask;
        }
    }
}
