using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentBot.Slack.Payloads;
using IncidentBot.SlackFake.Json;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// Plays Slack's side towards the bot: signed slash commands, events and interactions, and the
/// actions of humans in the workspace together with the events Slack sends for them. Events for
/// a channel reach the bot only while the bot is a member, as in Slack.
/// </summary>
public sealed class FakeSlackDriver
{
    public const string CommandsPath = "slack/commands";
    public const string EventsPath = "slack/events";
    public const string InteractionsPath = "slack/interactions";

    private const string FormContentType = "application/x-www-form-urlencoded";
    private const string JsonContentType = "application/json";

    private readonly FakeSlackOptions _options;
    private readonly FakeWorkspace _workspace;
    private readonly SlackEventFactory _events;
    private readonly BotDelivery _delivery;
    private readonly BotHttpEndpoint _endpoint;
    private readonly Func<Uri> _fakeBaseUrl;
    private readonly ModalUser _modals;
    private readonly ShortcutUser _shortcuts;

    internal FakeSlackDriver(
        FakeSlackOptions options,
        FakeWorkspace workspace,
        SlackEventFactory events,
        BotDelivery delivery,
        BotHttpEndpoint endpoint,
        TriggerIdRegistry triggers,
        ResponseUrlRegistry responseUrls,
        SlackWire wire,
        Func<Uri> fakeBaseUrl)
    {
        _options = options;
        _workspace = workspace;
        _events = events;
        _delivery = delivery;
        _endpoint = endpoint;
        Triggers = triggers;
        ResponseUrls = responseUrls;
        _fakeBaseUrl = fakeBaseUrl;
        Signer = new SlackRequestSigner(options.SigningSecret);
        var payloads = new InteractionPayloads(options, workspace, wire);
        _modals = new ModalUser(workspace, payloads, triggers, responseUrls, ResponseUrlFor, (payload, ct) => SendInteractionAsync(payload, ct));
        _shortcuts = new ShortcutUser(options, workspace, payloads, triggers, responseUrls, ResponseUrlFor, (payload, ct) => SendInteractionAsync(payload, ct));
    }

    public SlackRequestSigner Signer { get; }

    public TriggerIdRegistry Triggers { get; }

    public ResponseUrlRegistry ResponseUrls { get; }

    /// <summary>Every request sent to the bot, echoes included, with all attempts.</summary>
    public IReadOnlyList<DeliveryResult> Deliveries => _delivery.All;

    public IReadOnlyList<ResponseUrlPost> Responses => ResponseUrls.All;

    public IReadOnlyList<ResponseUrlPost> ResponsesFor(string responseUrlId) => ResponseUrls.For(responseUrlId);

    /// <summary>Where the bot listens; <paramref name="handler"/> (e.g. a TestServer's) replaces the network when given.</summary>
    public void ConnectBot(Uri botBaseUrl, HttpMessageHandler? handler = null) => _endpoint.Connect(botBaseUrl, handler);

    /// <summary>Where the bot's replicas listen: each request goes to the next in turn, a retry to another than the attempt it repeats.</summary>
    public void ConnectBots(IReadOnlyList<Uri> replicas) => _endpoint.Connect(replicas);

    /// <summary>A trigger_id valid for views.open, for hand-built interaction payloads.</summary>
    public string IssueTriggerId(string? userId = null) => Triggers.Issue(userId);

    /// <summary>A response_url served by the fake, for hand-built interaction payloads.</summary>
    public Uri IssueResponseUrl(string channelId, string userId) => ResponseUrlFor(ResponseUrls.Issue(channelId, userId));

    public Uri ResponseUrlFor(string responseUrlId) => new(_fakeBaseUrl(), $"response/{responseUrlId}");

    public async Task<SlashCommandResult> SendSlashCommandAsync(string userId, string channelId, string command, string text, CancellationToken cancellationToken = default)
    {
        var channel = _workspace.FindChannel(channelId);
        var user = _workspace.FindUser(userId);
        var responseUrlId = ResponseUrls.Issue(channelId, userId);
        var responseUrl = ResponseUrlFor(responseUrlId);
        var triggerId = Triggers.Issue(userId);
        (string Name, string Value)[] fields =
        [
            ("token", _options.VerificationToken),
            ("team_id", _options.TeamId),
            ("team_domain", _options.TeamDomain),
            ("channel_id", channelId),
            // Slack hides private channel names from commands.
            ("channel_name", channel is { IsPrivate: true } ? "privategroup" : channel?.Name ?? ""),
            ("user_id", userId),
            ("user_name", user?.Name ?? ""),
            ("command", command),
            ("text", text),
            ("api_app_id", _options.AppId),
            ("is_enterprise_install", "false"),
            ("response_url", responseUrl.ToString()),
            ("trigger_id", triggerId),
        ];

        // Over Socket Mode the same fields arrive as a JSON object of strings (§2.5).
        var payload = new JsonObject(fields.Select(f => KeyValuePair.Create(f.Name, (JsonNode?)f.Value)));
        var message = new BotMessage(CommandsPath, FormEncode(fields), FormContentType, "slash_commands", payload, AcceptsResponsePayload: true);
        var delivery = await _delivery.DeliverAsync(message, withRetries: false, 0, null, cancellationToken);
        return new SlashCommandResult(delivery, responseUrlId, responseUrl, triggerId);
    }

    /// <summary>
    /// Wraps <paramref name="innerEvent"/> (any JSON-serialisable object) in the event_callback
    /// envelope and delivers it with Slack's retries. A non-zero <paramref name="retryNum"/> sends
    /// one redelivery with that retry number instead (same <paramref name="eventId"/> to test de-duplication).
    /// </summary>
    public async Task<EventDeliveryResult> SendEventAsync(object innerEvent, string? eventId = null, int retryNum = 0, string? retryReason = null, CancellationToken cancellationToken = default)
    {
        var inner = innerEvent as JsonNode ?? JsonSerializer.SerializeToNode(innerEvent, innerEvent.GetType(), SlackJson.Options)
            ?? throw new ArgumentException("The event serialised to null.", nameof(innerEvent));
        eventId ??= _workspace.Ids.Next("Ev");
        var channelId = inner["channel"] is JsonValue channel && channel.TryGetValue<string>(out var id) ? id : null;
        var envelope = _events.Envelope(inner.DeepClone(), eventId, _options.Clock.GetUtcNow().ToUnixTimeSeconds(), channelId);
        var message = new BotMessage(EventsPath, SlackJson.Serialize(envelope), JsonContentType, "events_api", envelope, AcceptsResponsePayload: false);
        var reason = retryNum > 0 ? retryReason ?? (_options.Transport == BotTransport.SocketMode ? "timeout" : "http_timeout") : null;
        var delivery = await _delivery.DeliverAsync(message, withRetries: true, retryNum, reason, cancellationToken);
        return new EventDeliveryResult(eventId, delivery);
    }

    public async Task<UrlVerificationResult> SendUrlVerificationAsync(string challenge, CancellationToken cancellationToken = default)
    {
        var body = SlackJson.Serialize(new JsonObject
        {
            ["token"] = _options.VerificationToken,
            ["challenge"] = challenge,
            ["type"] = "url_verification",
        });
        var delivery = await _delivery.SendOnceAsync(EventsPath, body, JsonContentType, true, null, null, 0, null, cancellationToken);
        return new UrlVerificationResult(delivery, challenge);
    }

    /// <summary>
    /// Posts <c>payload=&lt;url-encoded JSON&gt;</c> to the interactivity URL (a string payload is sent as is), or over
    /// Socket Mode sends an <c>interactive</c> envelope with the payload already decoded.
    /// </summary>
    public Task<DeliveryResult> SendInteractionAsync(object payload, CancellationToken cancellationToken = default)
    {
        var json = SlackJson.Serialize(payload);
        var socketPayload = _options.Transport == BotTransport.SocketMode
            ? JsonNode.Parse(json) ?? throw new ArgumentException("The payload serialised to null.", nameof(payload))
            : new JsonObject();
        var message = new BotMessage(InteractionsPath, FormEncode(("payload", json)), FormContentType, "interactive", socketPayload, AcceptsResponsePayload: true);
        return _delivery.DeliverAsync(message, withRetries: false, 0, null, cancellationToken);
    }

    /// <summary>The modal <paramref name="userId"/> sees (the top of their stack), or null when none is open.</summary>
    public FakeView? OpenViewOf(string userId) => _workspace.TopViewOf(userId);

    /// <summary>
    /// The person types or picks in an input of the modal they see. The state entry takes the element's shape:
    /// plain_text_input <c>value</c>; static_select <c>selected_option</c> (one of its options, by value);
    /// datepicker <c>selected_date</c> (YYYY-MM-DD); timepicker <c>selected_time</c> (HH:mm); users_select <c>selected_user</c>.
    /// Throws <see cref="FakeSlackException"/> for an unknown input or a value the element cannot take.
    /// </summary>
    public void SetViewValue(string userId, string viewId, string blockId, string actionId, string value) =>
        _modals.SetValue(userId, viewId, blockId, actionId, value);

    /// <summary>
    /// Clicks a button (in an actions block or a section accessory) of the modal the person sees or of their Home tab:
    /// block_actions with the view (type modal or home) and a fresh trigger_id.
    /// </summary>
    public Task<ViewInteractionResult> ClickViewButtonAsync(string userId, string viewId, string actionId, string? blockId = null, CancellationToken cancellationToken = default) =>
        _modals.ClickViewButtonAsync(userId, viewId, actionId, blockId, cancellationToken);

    /// <summary>Clicks a button of the Home tab the app published for the person (see <see cref="ClickViewButtonAsync"/>).</summary>
    public Task<ViewInteractionResult> ClickHomeButtonAsync(string userId, string actionId, string? blockId = null, CancellationToken cancellationToken = default)
    {
        var home = _workspace.HomeViewOf(userId) ?? throw new FakeSlackException("view_not_shown", [$"the app published no Home tab for {userId}"]);
        return ClickViewButtonAsync(userId, home.Id, actionId, blockId, cancellationToken);
    }

    /// <summary>
    /// The person opens the app's Home tab: <c>app_home_opened</c> (tab home, the app's DM channel with them, and the
    /// Home tab's view once one was published), as Slack sends it each time they enter. Null when no bot URL is known.
    /// </summary>
    public async Task<EventDeliveryResult?> OpenAppHomeAsync(string userId, CancellationToken cancellationToken = default)
    {
        _workspace.GetUser(userId);
        if (!_delivery.CanDeliver)
        {
            return null;
        }

        var innerEvent = new JsonObject
        {
            ["type"] = "app_home_opened",
            ["user"] = userId,
            ["channel"] = _workspace.AppHomeChannelOf(userId),
            ["tab"] = "home",
        };
        if (_workspace.HomeViewOf(userId) is { } home)
        {
            innerEvent["view"] = JsonNode.Parse(home.ViewJson);
        }

        innerEvent["event_ts"] = SlackTs.FromDateTimeOffset(_options.Clock.GetUtcNow()).Value;
        return await SendEventAsync(innerEvent, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Runs a global shortcut from the ⚡ menu: <c>shortcut</c> with a fresh trigger_id (3 s, for views.open), no
    /// channel and no response_url. Only shortcuts in <see cref="FakeSlackOptions.Shortcuts"/> when some are listed.
    /// </summary>
    public Task<ShortcutResult> RunGlobalShortcutAsync(string userId, string callbackId, CancellationToken cancellationToken = default) =>
        _shortcuts.RunGlobalAsync(userId, callbackId, cancellationToken);

    /// <summary>
    /// Runs a message shortcut from a message's "More actions": <c>message_action</c> with the message as stored, its
    /// channel, a response_url and a fresh trigger_id. Throws <c>not_in_channel</c> for a person outside the channel.
    /// </summary>
    public Task<ShortcutResult> RunMessageShortcutAsync(string userId, string channelId, string messageTs, string callbackId, CancellationToken cancellationToken = default) =>
        _shortcuts.RunOnMessageAsync(userId, channelId, messageTs, callbackId, cancellationToken);

    /// <summary>Submits the modal the person sees and applies the bot's answer as Slack does (close, clear, update, push, errors).</summary>
    public Task<ViewInteractionResult> SubmitViewAsync(string userId, string viewId, CancellationToken cancellationToken = default) =>
        _modals.SubmitAsync(userId, viewId, cancellationToken);

    /// <summary>Close or Cancel: pops the view; the bot hears view_closed only when the view asked for <c>notify_on_close</c>.</summary>
    public Task<ViewInteractionResult> CloseViewAsync(string userId, string viewId, CancellationToken cancellationToken = default) =>
        _modals.CloseAsync(userId, viewId, cancellationToken);

    /// <summary>
    /// Clicks a button in a message's blocks: block_actions with the message, a response_url and a trigger_id. A button
    /// with a <c>confirm</c> object is confirmed in Slack's dialog first.
    /// </summary>
    public async Task<MessageButtonResult> ClickMessageButtonAsync(string userId, string channelId, string messageTs, string actionId, CancellationToken cancellationToken = default) =>
        (await _modals.ClickMessageButtonAsync(userId, channelId, messageTs, actionId, null, confirm: true, cancellationToken))!;

    /// <summary>
    /// Clicks a button in a message (in <paramref name="blockId"/> when given). For a button with a <c>confirm</c>
    /// object, <paramref name="confirm"/> says which button of Slack's dialog the person picks: deny sends nothing (null).
    /// </summary>
    public Task<MessageButtonResult?> ClickMessageButtonAsync(string userId, string channelId, string messageTs, string actionId, string? blockId, bool confirm = true, CancellationToken cancellationToken = default) =>
        _modals.ClickMessageButtonAsync(userId, channelId, messageTs, actionId, blockId, confirm, cancellationToken);

    /// <summary>Any request, for tests of bad input: unsigned, stale or tampered, odd content types.</summary>
    public Task<DeliveryResult> SendRawAsync(
        string path, string body, string contentType, bool signed = true, long? timestamp = null,
        IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default) =>
        _delivery.SendOnceAsync(path, body, contentType, signed, timestamp, headers, 0, null, cancellationToken);

    /// <summary>A human posts; the bot gets the <c>message</c> event, plus <c>app_mention</c> when the text mentions it.</summary>
    public async Task<HumanActionResult> PostMessageAsync(string userId, string channelId, string text, string? threadTs = null, CancellationToken cancellationToken = default)
    {
        var message = _workspace.PostMessage(userId, channelId, text, threadTs);
        var channel = _workspace.GetChannel(channelId);
        var deliveries = new List<EventDeliveryResult>();
        await DeliverToChannelAsync(deliveries, channel, _events.Message(message, channel), cancellationToken);
        if (text.Contains($"<@{_options.BotUserId}>", StringComparison.Ordinal))
        {
            await DeliverToChannelAsync(deliveries, channel, _events.AppMention(message, channel), cancellationToken);
        }

        return new HumanActionResult(message.Ts, message, deliveries);
    }

    public async Task<HumanActionResult> EditMessageAsync(string userId, string channelId, string ts, string newText, CancellationToken cancellationToken = default)
    {
        var edit = _workspace.EditMessage(userId, channelId, ts, newText);
        var channel = _workspace.GetChannel(channelId);
        var deliveries = new List<EventDeliveryResult>();
        await DeliverToChannelAsync(deliveries, channel, _events.MessageChanged(edit, channel), cancellationToken);
        return new HumanActionResult(edit.EditTs, edit.Current, deliveries);
    }

    /// <summary>A human deletes their own message.</summary>
    public async Task<HumanActionResult> DeleteMessageAsync(string userId, string channelId, string ts, CancellationToken cancellationToken = default)
    {
        if (_workspace.GetMessage(channelId, ts).User != userId)
        {
            throw new FakeSlackException("cant_delete_message");
        }

        var deletion = _workspace.DeleteMessage(channelId, ts);
        var channel = _workspace.GetChannel(channelId);
        var deliveries = new List<EventDeliveryResult>();
        await DeliverToChannelAsync(deliveries, channel, _events.MessageDeleted(deletion, channel), cancellationToken);
        return new HumanActionResult(deletion.DeletionTs, deletion.Deleted, deliveries);
    }

    public Task<HumanActionResult> AddReactionAsync(string userId, string channelId, string ts, string name, CancellationToken cancellationToken = default) =>
        ReactAsync("reaction_added", userId, channelId, name, () => _workspace.AddReaction(userId, channelId, ts, name), cancellationToken);

    public Task<HumanActionResult> RemoveReactionAsync(string userId, string channelId, string ts, string name, CancellationToken cancellationToken = default) =>
        ReactAsync("reaction_removed", userId, channelId, name, () => _workspace.RemoveReaction(userId, channelId, ts, name), cancellationToken);

    /// <summary>A human joins (or is added by <paramref name="inviterId"/>): <c>member_joined_channel</c> and the <c>channel_join</c> message.</summary>
    public async Task<HumanActionResult> JoinChannelAsync(string userId, string channelId, string? inviterId = null, CancellationToken cancellationToken = default)
    {
        var channel = _workspace.JoinChannel(userId, channelId);
        var message = AppendJoinMessage(_workspace, channelId, userId, inviterId);
        var deliveries = new List<EventDeliveryResult>();
        await DeliverToChannelAsync(deliveries, channel, _events.MemberJoined(userId, channel, inviterId, message.Ts), cancellationToken);
        await DeliverToChannelAsync(deliveries, channel, _events.Message(message, channel), cancellationToken);
        return new HumanActionResult(message.Ts, message, deliveries);
    }

    /// <summary>The channel_join message Slack writes into history when someone joins.</summary>
    internal static FakeMessage AppendJoinMessage(FakeWorkspace workspace, string channelId, string userId, string? inviterId) =>
        workspace.Append(channelId, ts => new FakeMessage
        {
            ChannelId = channelId,
            Ts = ts,
            User = userId,
            Subtype = "channel_join",
            Text = $"<@{userId}> has joined the channel",
            ExtraFields = inviterId is null ? [] : new Dictionary<string, string> { ["inviter"] = inviterId }.ToImmutableDictionary(),
        });

    /// <summary>Delivers a channel event if Slack would: a bot URL is known and the bot is in the channel.</summary>
    internal async Task<EventDeliveryResult?> DeliverChannelEventAsync(JsonObject innerEvent, string channelId, CancellationToken cancellationToken)
    {
        if (!_delivery.CanDeliver || _workspace.FindChannel(channelId) is not { } channel || !channel.HasMember(_options.BotUserId))
        {
            return null;
        }

        return await SendEventAsync(innerEvent, cancellationToken: cancellationToken);
    }

    private async Task<HumanActionResult> ReactAsync(string type, string userId, string channelId, string name, Func<FakeMessage> react, CancellationToken cancellationToken)
    {
        var message = react();
        var eventTs = _workspace.NextTs(channelId);
        var deliveries = new List<EventDeliveryResult>();
        await DeliverToChannelAsync(deliveries, _workspace.GetChannel(channelId), _events.Reaction(type, userId, name, message, eventTs), cancellationToken);
        return new HumanActionResult(eventTs, message, deliveries);
    }

    private async Task DeliverToChannelAsync(List<EventDeliveryResult> deliveries, FakeChannel channel, JsonObject innerEvent, CancellationToken cancellationToken)
    {
        if (await DeliverChannelEventAsync(innerEvent, channel.Id, cancellationToken) is { } delivery)
        {
            deliveries.Add(delivery);
        }
    }

    /// <summary>Form encoding as Slack writes it (spaces as '+', '/' as %2F).</summary>
    private static string FormEncode(params (string Name, string Value)[] fields) =>
        string.Join('&', fields.Select(f => $"{WebUtility.UrlEncode(f.Name)}={WebUtility.UrlEncode(f.Value)}"));
}
