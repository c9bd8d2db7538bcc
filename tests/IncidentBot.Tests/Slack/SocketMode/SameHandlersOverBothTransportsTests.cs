using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Driver;
using IncidentBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.Slack.SocketMode;

/// <summary>
/// The "same result over Socket Mode as over HTTP", with stand-in handlers until the incident commands land:
/// one incident-shaped script (start, messages, a pin, a button, a modal with errors then accepted, close) driven by
/// the same driver calls over each transport, compared answer by answer and effect by effect.
/// </summary>
public sealed class SameHandlersOverBothTransportsTests
{
    private const string Ana = "U0ANA";

    [Fact]
    public async Task An_incident_script_gives_the_same_answers_and_effects_over_socket_mode_as_over_http()
    {
        var overHttp = await RunScriptAsync(BotTransport.Http);
        var overSocketMode = await RunScriptAsync(BotTransport.SocketMode);

        Assert.Equal(overHttp.Answers, overSocketMode.Answers);
        Assert.Equal(overHttp.Handled, overSocketMode.Handled);
        Assert.Equal(overHttp.Effects, overSocketMode.Effects);
    }

    [Fact]
    public async Task Over_socket_mode_the_script_is_answered_through_acks_and_nothing_reaches_the_http_endpoints()
    {
        var run = await RunScriptAsync(BotTransport.SocketMode);

        Assert.All(run.Deliveries, d => Assert.Equal(BotTransport.SocketMode, d.Transport));
        Assert.Contains("200 {\"text\":\"Incident declared: Consumer app outage\",\"response_type\":\"in_channel\"}", run.Answers);
        Assert.Contains("200 {\"response_action\":\"errors\",\"errors\":{\"title_block\":\"Title required\"}}", run.Answers);
        Assert.Contains("start Consumer app outage by U0ANA", run.Handled);
        Assert.Contains("reaction pushpin retry 0", run.Handled);
        Assert.Contains("message api is returning 500s own False", run.Handled);
        Assert.Contains("message Incident declared own True", run.Handled);
        Assert.Equal(["pinned api is returning 500s", "posted Incident declared"], run.Effects);
    }

    private static async Task<ScriptRun> RunScriptAsync(BotTransport transport)
    {
        var transcript = new Transcript();
        await using var testbed = await SlackTestbed.StartAsync(
            configure: options => options with
            {
                ConfigureServices = services => services.AddSingleton(transcript),
                ConfigureSlack = slack => slack
                    .AddCommand<StartCommand>("/incident", "start")
                    .AddCommand<CloseCommand>("/incident", "close")
                    .AddEventHandler<MessageEventBase, RecordMessages>()
                    .AddEventHandler<ReactionAdded, PinOnPushpin>()
                    .AddBlockAction<RecordAction>("ack")
                    .AddViewSubmission<DeclareModal>("declare"),
            },
            transport: transport);
        var slack = testbed.Slack;
        slack.Workspace.AddUser(Ana, "ana", "Ana Lima");
        var general = slack.Workspace.CreateChannel("general", false, Ana, slack.Options.BotUserId).Id;
        var answers = new List<string>();

        answers.Add(Answer((await slack.Driver.SendSlashCommandAsync(Ana, general, "/incident", "start Consumer app outage")).Delivery));
        var posted = await slack.Driver.PostMessageAsync(Ana, general, "api is returning 500s");
        answers.Add(Answer(posted.Deliveries.Single().Delivery));
        answers.Add(Answer(Assert.Single((await slack.Driver.AddReactionAsync(Ana, general, posted.Ts, "pushpin")).Deliveries).Delivery));
        answers.Add(Answer(await slack.Driver.SendInteractionAsync(new
        {
            type = "block_actions",
            user = new { id = Ana },
            team = new { id = slack.Options.TeamId },
            actions = new[] { new { action_id = "ack", type = "button", value = "INC-1" } },
        })));
        answers.Add(Answer(await slack.Driver.SendInteractionAsync(ViewSubmission(title: ""))));
        answers.Add(Answer(await slack.Driver.SendInteractionAsync(ViewSubmission(title: "Consumer app outage"))));
        answers.Add(Answer((await slack.Driver.SendSlashCommandAsync(Ana, general, "/incident", "close")).Delivery));
        await slack.WhenIdleAsync();

        var effects = slack.Workspace.Messages(general)
            .Select(m => m.IsPinned ? $"pinned {m.Text}" : m.IsFromBot ? $"posted {m.Text}" : null)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
        return new ScriptRun(answers, transcript.Lines, effects, slack.Driver.Deliveries);
    }

    private static object ViewSubmission(string title) => new
    {
        type = "view_submission",
        user = new { id = Ana },
        view = new
        {
            id = "V1",
            callback_id = "declare",
            state = new { values = new { title_block = new { title_input = new { type = "plain_text_input", value = title } } } },
        },
    };

    /// <summary>Status and body: over Socket Mode, 200 is the ack and the body its payload.</summary>
    private static string Answer(DeliveryResult delivery) => $"{delivery.StatusCode} {delivery.Body}".TrimEnd();

    private sealed record ScriptRun(List<string> Answers, List<string> Handled, List<string> Effects, IReadOnlyList<DeliveryResult> Deliveries);

    private sealed class Transcript
    {
        private readonly List<string> _lines = [];

        /// <summary>Sorted: the bot's own echoes race the script on both transports, as they do in Slack.</summary>
        public List<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines.Order(StringComparer.Ordinal)];
                }
            }
        }

        public void Add(string line)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }

    private sealed class StartCommand(Transcript transcript, ISlackApiClient slack) : ISlashCommandHandler
    {
        public async Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
        {
            transcript.Add($"start {command.Text} by {command.UserId}");
            await slack.Chat.PostMessageAsync(new PostMessageRequest { Channel = command.ChannelId, Text = "Incident declared" }, cancellationToken);
            return SlashCommandResponse.InChannel($"Incident declared: {command.Text}");
        }
    }

    private sealed class CloseCommand(Transcript transcript) : ISlashCommandHandler
    {
        public Task<SlashCommandResponse?> HandleAsync(SlashCommand command, CancellationToken cancellationToken)
        {
            transcript.Add($"close by {command.UserId}");
            return Task.FromResult<SlashCommandResponse?>(SlashCommandResponse.Ephemeral("Closed."));
        }
    }

    private sealed class RecordMessages(Transcript transcript, SlackRequestContext context) : IEventHandler<MessageEventBase>
    {
        public Task HandleAsync(MessageEventBase slackEvent, CancellationToken cancellationToken)
        {
            if (slackEvent is MessageEvent message)
            {
                transcript.Add($"message {message.Text} own {context.IsFromThisBot}");
            }

            return Task.CompletedTask;
        }
    }

    private sealed class PinOnPushpin(Transcript transcript, SlackRequestContext context, ISlackApiClient slack) : IEventHandler<ReactionAdded>
    {
        public async Task HandleAsync(ReactionAdded slackEvent, CancellationToken cancellationToken)
        {
            transcript.Add($"reaction {slackEvent.Reaction} retry {context.Delivery.RetryNum}");
            await slack.Pins.AddAsync(new PinRequest { Channel = slackEvent.Item.Channel!, Timestamp = slackEvent.Item.Ts! }, cancellationToken);
        }
    }

    private sealed class RecordAction(Transcript transcript) : IBlockActionHandler
    {
        public Task HandleAsync(BlockAction action, BlockActions payload, CancellationToken cancellationToken)
        {
            transcript.Add($"action {action.ActionId} {action.Value} by {payload.User?.Id}");
            return Task.CompletedTask;
        }
    }

    private sealed class DeclareModal(Transcript transcript) : IViewSubmissionHandler
    {
        public Task<ViewSubmissionResponse?> HandleAsync(ViewSubmission submission, CancellationToken cancellationToken)
        {
            var title = submission.View.State?.Get("title_block", "title_input")?.Value;
            transcript.Add($"submitted '{title}'");
            return Task.FromResult(string.IsNullOrWhiteSpace(title)
                ? ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { ["title_block"] = "Title required" })
                : null);
        }
    }
}
