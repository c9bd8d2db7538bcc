using System.Text.Json.Nodes;
using System.Threading.Channels;
using IncidentBot.SlackFake.Workspace;
using Microsoft.Extensions.Logging;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// The events Slack sends back for the bot's own Web API actions (its posts, edits, reactions,
/// invites). Delivered from a background loop so the API reply never waits on the bot's event
/// endpoint, just as in Slack where the two race.
/// </summary>
internal sealed partial class BotEventEcho : IAsyncDisposable
{
    private readonly FakeSlackOptions _options;
    private readonly FakeWorkspace _workspace;
    private readonly SlackEventFactory _events;
    private readonly FakeSlackDriver _driver;
    private readonly ILogger<BotEventEcho> _logger;
    private readonly Channel<(JsonObject Event, string ChannelId)> _queue = Channel.CreateUnbounded<(JsonObject, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _idle = NewIdleSource(completed: true);
    private int _pending;
    private Task? _loop;

    public BotEventEcho(FakeSlackOptions options, FakeWorkspace workspace, SlackEventFactory events, FakeSlackDriver driver, ILogger<BotEventEcho> logger)
    {
        _options = options;
        _workspace = workspace;
        _events = events;
        _driver = driver;
        _logger = logger;
    }

    public void Start() => _loop ??= Task.Run(RunAsync);

    public void MessagePosted(FakeMessage message) =>
        Enqueue(message.ChannelId, channel => _events.Message(message, channel));

    public void MessageChanged(MessageEdit edit) =>
        Enqueue(edit.Current.ChannelId, channel => _events.MessageChanged(edit, channel));

    public void ReactionAdded(string userId, string reaction, FakeMessage message, string eventTs) =>
        Enqueue(message.ChannelId, _ => _events.Reaction("reaction_added", userId, reaction, message, eventTs));

    public void ReactionRemoved(string userId, string reaction, FakeMessage message, string eventTs) =>
        Enqueue(message.ChannelId, _ => _events.Reaction("reaction_removed", userId, reaction, message, eventTs));

    public void MemberJoined(string channelId, string userId, string? inviterId, string eventTs) =>
        Enqueue(channelId, channel => _events.MemberJoined(userId, channel, inviterId, eventTs));

    /// <summary>Completes when every echo queued so far has been delivered (or given up).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _idle.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            // Let queued echoes go out, but never hang a test run on an unresponsive bot.
            if (await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(30))) != _loop)
            {
                await _stopping.CancelAsync();
            }

            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private void Enqueue(string channelId, Func<FakeChannel, JsonObject> build)
    {
        if (!_options.EchoBotEvents || _workspace.FindChannel(channelId) is not { } channel)
        {
            return;
        }

        lock (_gate)
        {
            if (_pending++ == 0)
            {
                _idle = NewIdleSource(completed: false);
            }
        }

        if (!_queue.Writer.TryWrite((build(channel), channelId)))
        {
            Done();
        }
    }

    private async Task RunAsync()
    {
        await foreach (var (innerEvent, channelId) in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await _driver.DeliverChannelEventAsync(innerEvent, channelId, _stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or InvalidOperationException)
            {
                Log.EchoFailed(_logger, exception, innerEvent["type"]?.ToString() ?? "?");
            }
            finally
            {
                Done();
            }
        }
    }

    private void Done()
    {
        lock (_gate)
        {
            if (--_pending == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource NewIdleSource(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Could not deliver the echo of a {EventType} event to the bot")]
        public static partial void EchoFailed(ILogger logger, Exception exception, string eventType);
    }
}
