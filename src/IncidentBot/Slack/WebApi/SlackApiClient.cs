using IncidentBot.Slack.Handling;

namespace IncidentBot.Slack.WebApi;

/// <summary>Slack's Web API, grouped like Slack's documentation: <c>slack.Chat.PostMessageAsync(…)</c>.</summary>
public interface ISlackApiClient
{
    IAuthApi Auth { get; }
    IChatApi Chat { get; }
    IConversationsApi Conversations { get; }
    IUsersApi Users { get; }
    IPinsApi Pins { get; }
    IReactionsApi Reactions { get; }
    IFilesApi Files { get; }
    ICanvasesApi Canvases { get; }
    IViewsApi Views { get; }
    IUsergroupsApi Usergroups { get; }
}

internal sealed class SlackApiClient : ISlackApiClient
{
    public SlackApiClient(SlackApiTransport transport, SlackBotIdentity identity, ILoggerFactory loggers)
    {
        Auth = new AuthApi(transport);
        Conversations = new ConversationsApi(transport);
        Chat = new ChatApi(transport, Conversations, new OwnPosts(identity, Auth), loggers.CreateLogger<ChatApi>());
        Users = new UsersApi(transport);
        Pins = new PinsApi(transport);
        Reactions = new ReactionsApi(transport);
        Files = new FilesApi(transport);
        Canvases = new CanvasesApi(transport);
        Views = new ViewsApi(transport);
        Usergroups = new UsergroupsApi(transport);
    }

    public IAuthApi Auth { get; }
    public IChatApi Chat { get; }
    public IConversationsApi Conversations { get; }
    public IUsersApi Users { get; }
    public IPinsApi Pins { get; }
    public IReactionsApi Reactions { get; }
    public IFilesApi Files { get; }
    public ICanvasesApi Canvases { get; }
    public IViewsApi Views { get; }
    public IUsergroupsApi Usergroups { get; }
}
