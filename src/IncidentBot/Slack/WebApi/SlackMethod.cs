namespace IncidentBot.Slack.WebApi;

/// <summary>Whether repeating a call can change anything: reads are retried freely, writes never blindly.</summary>
public enum SlackCallKind
{
    Read,
    Write,
}

/// <summary>How arguments travel: JSON (write methods) or form (read methods and form-only ones).</summary>
public enum SlackBodyEncoding
{
    Json,
    Form,
}

/// <summary>Which of the app's tokens a method takes.</summary>
public enum SlackTokenKind
{
    /// <summary>The bot token (<c>xoxb-…</c>, <c>Slack:BotToken</c>): every method the handlers call.</summary>
    Bot,

    /// <summary>The app-level token (<c>xapp-…</c>, <c>Slack:AppToken</c>): only Socket Mode's <c>apps.connections.open</c>.</summary>
    App,
}

/// <summary>One Web API method as the client calls it, with the bot scopes Slack requires for it.</summary>
public sealed record SlackMethod(string Name, SlackCallKind Kind, SlackBodyEncoding Encoding, params string[] Scopes)
{
    public SlackTokenKind Token { get; init; } = SlackTokenKind.Bot;
}

/// <summary>The catalogue of Web API methods this bot calls; the manifest test checks every scope here is granted.</summary>
public static class SlackMethods
{
    public static readonly SlackMethod AuthTest = new("auth.test", SlackCallKind.Read, SlackBodyEncoding.Form);
    public static readonly SlackMethod ChatPostMessage = new("chat.postMessage", SlackCallKind.Write, SlackBodyEncoding.Json, "chat:write");
    public static readonly SlackMethod ChatPostEphemeral = new("chat.postEphemeral", SlackCallKind.Write, SlackBodyEncoding.Json, "chat:write");
    public static readonly SlackMethod ChatUpdate = new("chat.update", SlackCallKind.Write, SlackBodyEncoding.Json, "chat:write");
    public static readonly SlackMethod ChatGetPermalink = new("chat.getPermalink", SlackCallKind.Read, SlackBodyEncoding.Form);
    public static readonly SlackMethod ConversationsCreate = new("conversations.create", SlackCallKind.Write, SlackBodyEncoding.Json, "channels:manage", "groups:write");
    public static readonly SlackMethod ConversationsInvite = new("conversations.invite", SlackCallKind.Write, SlackBodyEncoding.Json, "channels:manage", "groups:write");
    public static readonly SlackMethod ConversationsJoin = new("conversations.join", SlackCallKind.Write, SlackBodyEncoding.Json, "channels:join");
    public static readonly SlackMethod ConversationsSetTopic = new("conversations.setTopic", SlackCallKind.Write, SlackBodyEncoding.Json, "channels:manage", "groups:write");
    public static readonly SlackMethod ConversationsArchive = new("conversations.archive", SlackCallKind.Write, SlackBodyEncoding.Json, "channels:manage", "groups:write");
    public static readonly SlackMethod ConversationsInfo = new("conversations.info", SlackCallKind.Read, SlackBodyEncoding.Form, "channels:read", "groups:read");
    public static readonly SlackMethod ConversationsList = new("conversations.list", SlackCallKind.Read, SlackBodyEncoding.Form, "channels:read", "groups:read");
    public static readonly SlackMethod ConversationsHistory = new("conversations.history", SlackCallKind.Read, SlackBodyEncoding.Form, "channels:history", "groups:history");
    public static readonly SlackMethod ConversationsReplies = new("conversations.replies", SlackCallKind.Read, SlackBodyEncoding.Form, "channels:history", "groups:history");
    public static readonly SlackMethod UsersInfo = new("users.info", SlackCallKind.Read, SlackBodyEncoding.Form, "users:read");
    public static readonly SlackMethod PinsAdd = new("pins.add", SlackCallKind.Write, SlackBodyEncoding.Json, "pins:write");
    public static readonly SlackMethod ReactionsAdd = new("reactions.add", SlackCallKind.Write, SlackBodyEncoding.Json, "reactions:write");
    public static readonly SlackMethod ReactionsRemove = new("reactions.remove", SlackCallKind.Write, SlackBodyEncoding.Json, "reactions:write");
    // Asking for an upload URL changes nothing visible, so it may be repeated like a read.
    public static readonly SlackMethod FilesGetUploadUrlExternal = new("files.getUploadURLExternal", SlackCallKind.Read, SlackBodyEncoding.Form, "files:write");
    public static readonly SlackMethod FilesCompleteUploadExternal = new("files.completeUploadExternal", SlackCallKind.Write, SlackBodyEncoding.Json, "files:write");
    public static readonly SlackMethod CanvasesCreate = new("canvases.create", SlackCallKind.Write, SlackBodyEncoding.Json, "canvases:write");
    public static readonly SlackMethod ViewsOpen = new("views.open", SlackCallKind.Write, SlackBodyEncoding.Json);
    public static readonly SlackMethod ViewsPush = new("views.push", SlackCallKind.Write, SlackBodyEncoding.Json);
    public static readonly SlackMethod ViewsUpdate = new("views.update", SlackCallKind.Write, SlackBodyEncoding.Json);
    // Publishing the same home view again only shows it again, so it is retried like a read.
    public static readonly SlackMethod ViewsPublish = new("views.publish", SlackCallKind.Read, SlackBodyEncoding.Json);
    public static readonly SlackMethod ConversationsMembers = new("conversations.members", SlackCallKind.Read, SlackBodyEncoding.Form, "channels:read", "groups:read");
    public static readonly SlackMethod UsergroupsUsersList = new("usergroups.users.list", SlackCallKind.Read, SlackBodyEncoding.Form, "usergroups:read");
    // Socket Mode: a fresh WebSocket URL. Its scope, connections:write, belongs to the app-level token, not to the
    // bot's manifest scopes. Asking again only issues another ticket, so it is retried like a read.
    public static readonly SlackMethod AppsConnectionsOpen = new("apps.connections.open", SlackCallKind.Read, SlackBodyEncoding.Form) { Token = SlackTokenKind.App };

    public static IReadOnlyList<SlackMethod> All { get; } =
    [
        AuthTest, ChatPostMessage, ChatPostEphemeral, ChatUpdate, ChatGetPermalink,
        ConversationsCreate, ConversationsInvite, ConversationsJoin, ConversationsSetTopic, ConversationsArchive, ConversationsInfo, ConversationsList,
        ConversationsHistory, ConversationsReplies, UsersInfo, PinsAdd, ReactionsAdd, ReactionsRemove,
        FilesGetUploadUrlExternal, FilesCompleteUploadExternal, CanvasesCreate, ViewsOpen, ViewsPush, ViewsUpdate, ViewsPublish, ConversationsMembers, UsergroupsUsersList, AppsConnectionsOpen,
    ];
}
