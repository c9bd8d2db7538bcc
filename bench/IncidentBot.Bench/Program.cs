using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IncidentBot;
using IncidentBot.Bench;
using IncidentBot.Sandbox;
using IncidentBot.SlackFake.Driver;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// Ingest benchmark: the real bot on loopback, against the fake Slack, receiving signed `message` events for a live
// incident channel as fast as N concurrent senders can deliver them. Prints events/s per round and the median.
//   dotnet run -c Release --project bench/IncidentBot.Bench -- [events=5000] [senders=8] [rounds=3] [sync=NORMAL]
// Draft benchmark (issue 14: a 10,000-entry draft compiled and rendered in under 200 ms): see DraftBench.
//   dotnet run -c Release --project bench/IncidentBot.Bench -- drafts [entries=10000] [rounds=7]
if (args is ["drafts", ..])
{
    await DraftBench.RunAsync(args[1..]);
    return;
}

var events = Arg(0, 5000);
var senders = Arg(1, 8);
var rounds = Arg(2, 3);
var synchronous = args.Length > 3 ? args[3] : "NORMAL";

await using var sandbox = await SandboxHost.StartAsync(TimeProvider.System);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
builder.Configuration.AddInMemoryCollection(sandbox.Settings);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Incidents:CreateChannel"] = "false",
    ["Storage:SqliteSynchronous"] = synchronous,
});
builder.AddIncidentBot();
await using var app = builder.Build();
app.MapIncidentBot();
await app.StartAsync();
var bot = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
sandbox.ConnectBot(bot);

var user = SandboxWorkspace.People[0].Id;
var channel = sandbox.Slack.Workspace.FindChannelByName("general")!.Id;
await sandbox.Slack.Driver.SendSlashCommandAsync(user, channel, "/incident", "start Ingest benchmark");
var signer = new SlackRequestSigner(sandbox.Slack.Options.SigningSecret);
using var http = new HttpClient { BaseAddress = bot };
var rates = new List<double>();
for (var round = 0; round < rounds; round++)
{
    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    var bodies = Enumerable.Range(0, events).Select(i => JsonSerializer.Serialize(new
    {
        type = "event_callback", team_id = sandbox.Slack.Options.TeamId, api_app_id = sandbox.Slack.Options.AppId,
        event_id = $"EvBench{round}x{i}", event_time = now,
        @event = new { type = "message", channel, user, text = $"line {i}", ts = $"{now + (round * 100_000) + (i / 1000)}.{i % 1000:D6}", event_ts = "1.1" },
    })).ToArray();
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < events)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "slack/events") { Content = new StringContent(bodies[i], Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Slack-Request-Timestamp", now.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Signature", signer.Sign(bodies[i], now));
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Event {i} answered {(int)response.StatusCode}.");
            }
        }
    }));
    rates.Add(events / clock.Elapsed.TotalSeconds);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {events} events in {clock.Elapsed.TotalSeconds:F2} s = {rates[^1]:F0} events/s"));
}

rates.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median {rates[rates.Count / 2]:F0} events/s ({senders} senders, synchronous={synchronous}, client and bot on the same machine)"));
await app.StopAsync();

int Arg(int index, int fallback) => args.Length > index && int.TryParse(args[index], CultureInfo.InvariantCulture, out var value) ? value : fallback;
