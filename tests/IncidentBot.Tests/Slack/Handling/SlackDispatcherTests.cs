using IncidentBot.Slack;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Slack.Handling;

public sealed class SlackDispatcherTests
{
    private readonly Recorder _recorder = new();

    private ServiceProvider Build(Action<SlackBuilder> register)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_recorder);
        register(services.AddSlack());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private static async Task<T> InScope<T>(ServiceProvider provider, Func<SlackDispatcher, Task<T>> act)
    {
        await using var scope = provider.CreateAsyncScope();
        return await act(scope.ServiceProvider.GetRequiredService<SlackDispatcher>());
    }

    private static SlashCommand Command(string text, string command = "/incident") =>
        new() { Command = command, Text = text, UserId = "U1", ChannelId = "C1" };

    private static EventCallback Callback(SlackEvent slackEvent, string? appId = "A0APP") =>
        new() { EventId = "Ev1", EventTime = 1505890000, TeamId = "T1", ApiAppId = appId, Event = slackEvent };

    [Fact]
    public async Task Sub_command_is_routed_by_its_first_word_with_the_rest_as_text()
    {
        await using var provider = Build(slack => slack.AddCommand<StartHandler>("/incident", "start").AddCommand<HelpHandler>("/incident"));

        var response = await InScope(provider, d => d.DispatchCommandAsync(Command("  START   Consumer app outage "), CancellationToken.None));

        Assert.Equal("started: Consumer app outage", response!.Text);
    }

    [Fact]
    public async Task Unclaimed_text_goes_to_the_command_handler_whole()
    {
        await using var provider = Build(slack => slack.AddCommand<StartHandler>("/incident", "start").AddCommand<HelpHandler>("/incident"));

        var response = await InScope(provider, d => d.DispatchCommandAsync(Command("frobnicate now"), CancellationToken.None));

        Assert.Equal("help for: frobnicate now", response!.Text);
        Assert.Equal(ResponseTypes.Ephemeral, response.ResponseType);
    }

    [Fact]
    public async Task A_command_the_app_does_not_register_gets_an_ephemeral_answer()
    {
        await using var provider = Build(slack => slack.AddCommand<HelpHandler>("/incident"));

        var response = await InScope(provider, d => d.DispatchCommandAsync(Command("x", command: "/weather"), CancellationToken.None));

        Assert.Equal(ResponseTypes.Ephemeral, response!.ResponseType);
        Assert.Contains("/weather", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_command_handler_becomes_an_ephemeral_apology_not_an_error()
    {
        await using var provider = Build(slack => slack.AddCommand<ThrowingHandler>("/incident"));

        var response = await InScope(provider, d => d.DispatchCommandAsync(Command("anything"), CancellationToken.None));

        Assert.Equal(ResponseTypes.Ephemeral, response!.ResponseType);
        Assert.Contains("went wrong", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_reaches_handlers_of_its_type_and_of_its_base_types()
    {
        await using var provider = Build(slack => slack
            .AddEventHandler<MessageEvent, MessageHandler>()
            .AddEventHandler<MessageEventBase, AnyMessageHandler>()
            .AddEventHandler<ReactionAdded, ReactionAddedHandler>());

        await InScope(provider, async d => { await d.DispatchEventAsync(Callback(new ThreadBroadcast { Ts = "1.000001", Channel = "C1" }), SlackDelivery.First, CancellationToken.None); return 0; });
        await InScope(provider, async d => { await d.DispatchEventAsync(Callback(new MessageDeleted { Ts = "2.000001", Channel = "C1", DeletedTs = "1.000001" }), SlackDelivery.First, CancellationToken.None); return 0; });
        await InScope(provider, async d => { await d.DispatchEventAsync(Callback(new ReactionRemoved { Reaction = "pushpin" }), SlackDelivery.First, CancellationToken.None); return 0; });
        await InScope(provider, async d => { await d.DispatchEventAsync(Callback(new UnknownEvent { Type = "channel_created" }), SlackDelivery.First, CancellationToken.None); return 0; });

        Assert.Equal(["MessageEvent:ThreadBroadcast", "AnyMessage:ThreadBroadcast", "AnyMessage:MessageDeleted"], _recorder.Calls);
    }

    [Fact]
    public async Task Handlers_see_the_delivery_in_their_scoped_context()
    {
        await using var provider = Build(slack => slack.AddEventHandler<MessageEvent, ContextReadingHandler>());

        await InScope(provider, async d =>
        {
            await d.DispatchEventAsync(
                Callback(new MessageEvent { Ts = "1.000001", Channel = "C1", User = "U0BOT", AppId = "A0APP" }),
                new SlackDelivery(2, "http_timeout"),
                CancellationToken.None);
            return 0;
        });

        Assert.Equal(["Ev1 retry 2 http_timeout own=True team=T1 at 2017-09-20T06:46:40.0000000+00:00"], _recorder.Calls);
    }

    [Fact]
    public async Task Another_apps_post_is_not_taken_for_ours()
    {
        await using var provider = Build(slack => slack.AddEventHandler<MessageEvent, ContextReadingHandler>());

        await InScope(provider, async d =>
        {
            await d.DispatchEventAsync(Callback(new MessageEvent { Ts = "1.000001", Channel = "C1", User = "U5", BotId = "B5", AppId = "A0OTHER" }), SlackDelivery.First, CancellationToken.None);
            return 0;
        });

        Assert.Contains("own=False", Assert.Single(_recorder.Calls), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_event_handler_propagates_so_the_transport_does_not_acknowledge()
    {
        await using var provider = Build(slack => slack.AddEventHandler<MessageEvent, ThrowingMessageHandler>());

        await Assert.ThrowsAsync<InvalidOperationException>(() => InScope(provider, async d =>
        {
            await d.DispatchEventAsync(Callback(new MessageEvent { Ts = "1.000001", Channel = "C1" }), SlackDelivery.First, CancellationToken.None);
            return 0;
        }));
    }

    [Fact]
    public async Task Block_actions_and_view_submissions_are_routed_by_their_ids()
    {
        await using var provider = Build(slack => slack.AddBlockAction<AckAction>("ack_incident").AddViewSubmission<DeclareModal>("declare_incident"));

        await InScope(provider, d => d.DispatchInteractionAsync(
            new BlockActions { Actions = [new BlockAction { ActionId = "ack_incident", Value = "INC-42" }, new BlockAction { ActionId = "unknown" }] },
            CancellationToken.None));
        var response = await InScope(provider, d => d.DispatchInteractionAsync(
            new ViewSubmission { View = new ViewPayload { CallbackId = "declare_incident" } }, CancellationToken.None));
        var ignored = await InScope(provider, d => d.DispatchInteractionAsync(
            new ViewSubmission { View = new ViewPayload { CallbackId = "other" } }, CancellationToken.None));

        Assert.Equal(["ack:INC-42"], _recorder.Calls);
        Assert.Equal("errors", response!.ResponseAction);
        Assert.Null(ignored);
    }

    public sealed class Recorder
    {
        public List<string> Calls { get; } = [];
    }

    private sealed class StartHandler : ISlashCommandHandler
    {
        public Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken) =>
            Task.FromResult<SlashCommandResponse?>(SlashCommandResponse.InChannel("started: " + command.Text));
    }

    private sealed class HelpHandler : ISlashCommandHandler
    {
        public Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken) =>
            Task.FromResult<SlashCommandResponse?>(SlashCommandResponse.Ephemeral("help for: " + command.Text));
    }

    private sealed class ThrowingHandler : ISlashCommandHandler
    {
        public Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }

    private sealed class MessageHandler(Recorder recorder) : IEventHandler<MessageEvent>
    {
        public Task HandleAsync(MessageEvent slackEvent, CancellationToken cancellationToken)
        {
            recorder.Calls.Add("MessageEvent:" + slackEvent.GetType().Name);
            return Task.CompletedTask;
        }
    }

    private sealed class AnyMessageHandler(Recorder recorder) : IEventHandler<MessageEventBase>
    {
        public Task HandleAsync(MessageEventBase slackEvent, CancellationToken cancellationToken)
        {
            recorder.Calls.Add("AnyMessage:" + slackEvent.GetType().Name);
            return Task.CompletedTask;
        }
    }

    private sealed class ReactionAddedHandler(Recorder recorder) : IEventHandler<ReactionAdded>
    {
        public Task HandleAsync(ReactionAdded slackEvent, CancellationToken cancellationToken)
        {
            recorder.Calls.Add("ReactionAdded");
            return Task.CompletedTask;
        }
    }

    private sealed class ContextReadingHandler(Recorder recorder, SlackRequestContext context) : IEventHandler<MessageEvent>
    {
        public Task HandleAsync(MessageEvent slackEvent, CancellationToken cancellationToken)
        {
            recorder.Calls.Add(FormattableString.Invariant(
                $"{context.EventId} retry {context.Delivery.RetryNum} {context.Delivery.RetryReason} own={context.IsFromThisBot} team={context.TeamId} at {context.EventTime:O}"));
            return Task.CompletedTask;
        }
    }

    private sealed class ThrowingMessageHandler : IEventHandler<MessageEvent>
    {
        public Task HandleAsync(MessageEvent slackEvent, CancellationToken cancellationToken) => throw new InvalidOperationException("db down");
    }

    private sealed class AckAction(Recorder recorder) : IBlockActionHandler
    {
        public Task HandleAsync(BlockAction action, BlockActions payload, CancellationToken cancellationToken)
        {
            recorder.Calls.Add("ack:" + action.Value);
            return Task.CompletedTask;
        }
    }

    private sealed class DeclareModal : IViewSubmissionHandler
    {
        public Task<ViewSubmissionResponse?> HandleAsync(ViewSubmission submission, CancellationToken cancellationToken) =>
            Task.FromResult<ViewSubmissionResponse?>(ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { ["title_block"] = "A title is required" }));
    }
}
