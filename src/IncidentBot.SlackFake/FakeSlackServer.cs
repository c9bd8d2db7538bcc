using System.Net;
using IncidentBot.SlackFake.Driver;
using IncidentBot.SlackFake.Faults;
using IncidentBot.SlackFake.Json;
using IncidentBot.SlackFake.Recording;
using IncidentBot.SlackFake.SocketMode;
using IncidentBot.SlackFake.WebApi;
using IncidentBot.SlackFake.Workspace;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.SlackFake;

/// <summary>
/// A self-contained Slack on loopback: the Web API the bot calls (<see cref="ApiBaseUrl"/>), the
/// upload and response URLs it is handed, and a <see cref="Driver"/> that sends the bot what
/// Slack sends. Faithful to Slack's wire behaviour (shared/slack-protocol.md) rather than lenient.
/// </summary>
public sealed class FakeSlackServer : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly BotHttpEndpoint _botEndpoint;
    private readonly BotEventEcho _echo;
    private readonly SlackApiEndpoint _api;
    private readonly FileUploadEndpoint _uploads;
    private readonly ResponseUrlEndpoint _responses;
    private WebApplication? _app;
    private Uri? _baseUrl;

    public FakeSlackServer(FakeSlackOptions? options = null)
    {
        Options = options ?? new FakeSlackOptions();
        _loggerFactory = LoggerFactory.Create(logging =>
        {
            logging.SetMinimumLevel(Options.MinimumLogLevel);
            Options.ConfigureLogging?.Invoke(logging);
        });

        Workspace = new FakeWorkspace(Options);
        var wire = new SlackWire(Options);
        var events = new SlackEventFactory(Options, wire);
        _botEndpoint = new BotHttpEndpoint(Options);
        SocketMode = new FakeSocketMode(Options, () => BaseUrl, _loggerFactory.CreateLogger<FakeSocketMode>());
        var delivery = new BotDelivery(Options, _botEndpoint, SocketMode, new SlackRequestSigner(Options.SigningSecret), _loggerFactory.CreateLogger<BotDelivery>());
        var triggers = new TriggerIdRegistry(Options);
        var responseUrls = new ResponseUrlRegistry(Options);
        Driver = new FakeSlackDriver(Options, Workspace, events, delivery, _botEndpoint, triggers, responseUrls, wire, () => BaseUrl);
        _echo = new BotEventEcho(Options, Workspace, events, Driver, _loggerFactory.CreateLogger<BotEventEcho>());

        var guard = new ChannelGuard(Workspace, Options);
        var methods = new ApiMethodTable();
        new AuthApi(Options).Register(methods);
        new ChatApi(Options, Workspace, guard, wire, _echo).Register(methods);
        new ConversationsApi(Options, Workspace, guard, wire, _echo).Register(methods);
        new UsersApi(Options, Workspace, wire).Register(methods);
        new PinsApi(Workspace, guard).Register(methods);
        new ReactionsApi(Options, Workspace, guard, _echo).Register(methods);
        new FilesApi(Options, Workspace, guard, wire, _echo, () => BaseUrl).Register(methods);
        new CanvasesApi(Workspace, guard).Register(methods);
        new ViewsApi(Workspace, triggers).Register(methods);
        new UsergroupsApi(Workspace).Register(methods);
        new ConversationMembersApi(guard).Register(methods);
        new AppsApi(SocketMode).Register(methods);
        ImplementedMethods = [.. methods.Names.Order(StringComparer.Ordinal)];

        _api = new SlackApiEndpoint(Options, methods, Faults, new PostingRateLimiter(Options), new MethodRateLimiter(Options), Calls, _loggerFactory.CreateLogger<SlackApiEndpoint>());
        _uploads = new FileUploadEndpoint(Workspace);
        _responses = new ResponseUrlEndpoint(Options, Workspace, responseUrls, _echo);
    }

    public FakeSlackOptions Options { get; }

    public FakeWorkspace Workspace { get; }

    public CallRecorder Calls { get; } = new();

    public FaultInjector Faults { get; } = new();

    public FakeSlackDriver Driver { get; }

    /// <summary>Slack's Socket Mode side: connections, envelopes, acks, and the knobs to make them misbehave.</summary>
    public FakeSocketMode SocketMode { get; }

    /// <summary>The Web API methods the fake serves; any other is <c>unknown_method</c>.</summary>
    public IReadOnlyList<string> ImplementedMethods { get; }

    /// <summary>e.g. http://127.0.0.1:41234/ (available once started).</summary>
    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("The fake Slack server is not started.");

    /// <summary>The bot's <c>Slack:ApiBaseUrl</c>: it calls <c>{ApiBaseUrl}{method}</c>.</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "api/");

    /// <summary>Where the bot listens; may be set after start, since the bot usually starts after the fake.</summary>
    public Uri? BotBaseUrl
    {
        get => Options.BotBaseUrl;
        set => Options.BotBaseUrl = value;
    }

    /// <summary>Creates and starts a server.</summary>
    public static async Task<FakeSlackServer> StartNewAsync(FakeSlackOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new FakeSlackServer(options);
        await server.StartAsync(cancellationToken);
        return server;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The fake Slack server is already started.");
        }

        // The empty builder reads no appsettings or environment, so the bot's Kestrel settings
        // in a shared test output folder cannot leak into the fake.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(_loggerFactory);
        var app = builder.Build();
        app.UseRouting();
        app.MapMethods("/api/{method}", [HttpMethods.Get, HttpMethods.Post], http => _api.HandleAsync(http, RouteValue(http, "method")));
        app.MapPost("/upload/{fileId}", http => _uploads.HandleAsync(http, RouteValue(http, "fileId")));
        app.MapPost("/response/{id}", http => _responses.HandleAsync(http, RouteValue(http, "id")));
        app.MapGet("/link", SocketMode.HandleAsync);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseUrl = new Uri(address.TrimEnd('/') + "/");
        _app = app;
        _echo.Start();
    }

    /// <summary>Points the driver at the bot; pass a TestServer's handler to reach an in-memory bot.</summary>
    public void ConnectBot(Uri botBaseUrl, HttpMessageHandler? handler = null) => Driver.ConnectBot(botBaseUrl, handler);

    /// <summary>Points the driver at several replicas of the bot, behind the load balancer the fake plays (<see cref="FakeSlackOptions.BotBaseUrls"/>).</summary>
    public void ConnectBots(params Uri[] replicas) => Driver.ConnectBots(replicas);

    /// <summary>Completes when every event echoed for the bot's own actions so far has been delivered.</summary>
    public Task WhenIdleAsync() => _echo.WhenIdleAsync();

    public async ValueTask DisposeAsync()
    {
        await _echo.DisposeAsync();
        SocketMode.DropAll();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _botEndpoint.Dispose();
        _loggerFactory.Dispose();
    }

    private static string RouteValue(HttpContext http, string name) => http.GetRouteValue(name)?.ToString() ?? "";
}
