using System.Collections.Concurrent;
using IncidentBot.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

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
public sealed class RecordingBot : TestHost
{
    private readonly ConcurrentQueue<BotRequest> _requests = new();

    private RecordingBot(WebApplication app)
        : base(app)
    {
    }

    public Func<BotRequest, BotReply> Reply { get; set; } = _ => new BotReply();

    public IReadOnlyList<BotRequest> Requests => [.. _requests];

    public static async Task<RecordingBot> StartAsync()
    {
        var app = CreateEmptyBuilder().Build();
        var bot = new RecordingBot(app);
        app.Run(bot.HandleAsync);
        await bot.ListenAsync();
        return bot;
    }

    /// <summary>Waits (real time) until <paramref name="count"/> requests arrived.</summary>
    public async Task<IReadOnlyList<BotRequest>> WaitForRequestsAsync(int count, TimeSpan? timeout = null)
    {
        await Eventually.Until(() => _requests.Count >= count, $"{count} request(s) to the stand-in bot", () => $"{_requests.Count} request(s)", timeout);
        return Requests;
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
            // A slow bot is what such a test is about: the fake Slack must see the answer come late, in real time.
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
