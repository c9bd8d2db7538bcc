using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Tests.SlackFake;

/// <summary>A request the stand-in bot received from the fake Slack.</summary>
public sealed record BotRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, string? ContentType)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

/// <summary>The reply the stand-in bot gives; <see cref="Delay"/> is real time.</summary>
public sealed record BotReply(int Status = 200, string Body = "", string ContentType = "text/plain", TimeSpan Delay = default, bool NoRetry = false);

/// <summary>
/// A stand-in for the bot on loopback, so the fake's driver can be tested without the bot:
/// it records what Slack would send and answers as scripted.
/// </summary>
public sealed class RecordingBot : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<BotRequest> _requests = new();

    private RecordingBot(WebApplication app) => _app = app;

    public Func<BotRequest, BotReply> Reply { get; set; } = _ => new BotReply();

    public IReadOnlyList<BotRequest> Requests => [.. _requests];

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<RecordingBot> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var bot = new RecordingBot(app);
        app.Run(bot.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        bot.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return bot;
    }

    /// <summary>Waits (real time) until <paramref name="count"/> requests arrived.</summary>
    public async Task<IReadOnlyList<BotRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (_requests.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return Requests;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var request = new BotRequest(http.Request.Path.Value!.TrimStart('/'), headers, body, http.Request.ContentType);
        _requests.Enqueue(request);

        var reply = Reply(request);
        if (reply.Delay > TimeSpan.Zero)
        {
            await Task.Delay(reply.Delay);
        }

        http.Response.StatusCode = reply.Status;
        if (reply.NoRetry)
        {
            http.Response.Headers["X-Slack-No-Retry"] = "1";
        }

        http.Response.ContentType = reply.ContentType;
        await http.Response.WriteAsync(reply.Body);
    }
}
