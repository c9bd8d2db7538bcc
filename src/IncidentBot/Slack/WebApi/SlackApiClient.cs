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
}

internal sealed class SlackApiClient(SlackApiTransport transport, ILoggerFactory loggers) : ISlackApiClient
{
    public IAuthApi Auth { get; } = new AuthApi(transport);
    public IChatApi Chat { get; } = new ChatApi(transport, new ConversationsApi(transport), loggers.CreateLogger<ChatApi>());
    public IConversationsApi Conversations { get; } = new ConversationsApi(transport);
    public IUsersApi Users { get; } = new UsersApi(transport);
    public IPinsApi Pins { get; } = new PinsApi(transport);
    public IReactionsApi Reactions { get; } = new ReactionsApi(transport);
    public IFilesApi Files { get; } = new FilesApi(transport);
    public ICanvasesApi Canvases { get; } = new CanvasesApi(transport);
    public IViewsApi Views { get; } = new ViewsApi(transport);
}
