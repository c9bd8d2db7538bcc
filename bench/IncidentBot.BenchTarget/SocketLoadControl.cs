using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.BenchTarget;

/// <summary>
/// Where bench/socket-mode asks for a Socket Mode round: <c>POST /load?concurrency=32&amp;warmup=1&amp;duration=10&amp;reactions=0.1</c>
/// on loopback runs one <see cref="SocketLoad"/> and answers its JSON line; one round at a time (409 while one runs).
/// </summary>
internal sealed class SocketLoadControl : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SocketLoadControl(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<SocketLoadControl> StartAsync(int port, SocketLoad load)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var running = new SemaphoreSlim(1, 1);
        app.MapPost("/load", async (HttpContext http) =>
        {
            if (!await running.WaitAsync(0))
            {
                return Results.Conflict("a round is running");
            }

            try
            {
                var query = http.Request.Query;
                double Number(string name, double fallback) =>
                    double.TryParse(query[name].ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : fallback;
                var line = await load.RunAsync(
                    (int)Number("concurrency", 32), TimeSpan.FromSeconds(Number("warmup", 1)), TimeSpan.FromSeconds(Number("duration", 10)), Number("reactions", 0.1));
                return Results.Text(JsonSerializer.Serialize(line), "application/json");
            }
            finally
            {
                running.Release();
            }
        });
        await app.StartAsync();
        return new SocketLoadControl(app, new Uri($"http://127.0.0.1:{port}/load"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
