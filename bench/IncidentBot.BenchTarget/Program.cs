using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using IncidentBot.BenchTarget;
using IncidentBot.SlackFake;

// One IncidentBot target for ../shared/bench (bench/run starts one per provider): the published bot as its own
// process, on a fresh database, talking to a fake Slack on loopback seeded as the load expects, with a live incident
// in each of the load's 8 channels (so every message is recorded, not dropped). Prints `ready pid=… url=…` once the
// load may start (start_ms: from exec to /healthz/ready's first 200, which bench/process reports); on SIGTERM or SIGINT prints `stored_messages=N` (rows captured since then) and stops the bot.
// With --socket-mode PORT the bot runs on Socket Mode instead (Slack:AppToken set) and the load comes from here: each
// POST to http://127.0.0.1:PORT/load (?concurrency=32&warmup=1&duration=10&reactions=0.1) has the fake Slack push the
// loadgen's event mix as envelopes (SocketLoad) and answers the loadgen's JSON line (bench/socket-mode).
//   dotnet IncidentBot.BenchTarget.dll --bot PUBLISHED/IncidentBot.dll --port 5100 --data DIR
//     [--postgres ADMIN_CONNECTION_STRING] [--cpu 0] [--secret bench-signing-secret-not-a-real-one] [--socket-mode 5121 [--socket-connections 2]]
var options = args.Chunk(2).Where(pair => pair.Length == 2 && pair[0].StartsWith("--", StringComparison.Ordinal)).ToDictionary(pair => pair[0][2..], pair => pair[1]);
if (!options.TryGetValue("bot", out var botDll) || !options.TryGetValue("port", out var port) || !options.TryGetValue("data", out var data))
{
    Console.Error.WriteLine("usage: --bot IncidentBot.dll --port N --data DIR [--postgres CONNECTION_STRING] [--cpu N] [--secret S] [--socket-mode CONTROL_PORT [--socket-connections N]]");
    return 2;
}

var secret = options.GetValueOrDefault("secret", "bench-signing-secret-not-a-real-one");
var botUrl = new Uri($"http://127.0.0.1:{port}/");
var socketMode = options.TryGetValue("socket-mode", out var controlPort);
var slackOptions = BenchWorkspace.Options(secret);
if (socketMode)
{
    // Everything goes over the bot's sockets, commands too; a load run keeps counts of envelopes and acks, no lists.
    slackOptions.Transport = BotTransport.SocketMode;
    slackOptions.RecordSocketTraffic = false;
}

await using var slack = await FakeSlackServer.StartNewAsync(slackOptions);
var postmortems = BenchWorkspace.Seed(slack);
await using var database = options.TryGetValue("postgres", out var admin) ? await BenchDatabase.PostgreSqlAsync(admin) : BenchDatabase.Sqlite(data);

var sinceExec = Stopwatch.StartNew();
using var bot = StartBot();
try
{
    await WaitReadyAsync();
    var startMs = sinceExec.Elapsed.TotalMilliseconds;
    slack.ConnectBot(botUrl);
    foreach (var (channel, i) in BenchWorkspace.ChannelIds.Select((c, i) => (c, i)))
    {
        var declared = await slack.Driver.SendSlashCommandAsync("U0BENCH000", channel, "/incident", $"start Bench incident {i + 1}");
        // On a restart (bench/process) the incidents of the first start are still live, which the bot answers as such.
        var stillLive = declared.Body.Contains("is already live in this channel", StringComparison.Ordinal);
        if (declared.StatusCode != 200 || !(declared.Body.Contains("in_channel", StringComparison.Ordinal) || stillLive))
        {
            throw new InvalidOperationException($"/incident start in {channel} answered {declared.StatusCode}: {declared.Body}");
        }
    }

    await slack.WhenIdleAsync();
    var before = await database.CountMessagesAsync();
    await using var control = socketMode ? await SocketLoadControl.StartAsync(int.Parse(controlPort!, CultureInfo.InvariantCulture), new SocketLoad(slack.SocketMode, bot.Id)) : null;
    var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready pid={bot.Id} url={botUrl}slack/events provider={database.Provider} start_ms={startMs:F0}{(control is null ? "" : $" control={control.Url}")}"));
    await Task.WhenAny(stop.Task, bot.WaitForExitAsync());
    if (bot.HasExited)
    {
        throw new InvalidOperationException($"The bot exited with code {bot.ExitCode} during the run.");
    }

    var stored = await database.CountMessagesAsync() - before;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stored_messages={stored}"));
    return 0;

    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.TrySetResult();
    }
}
finally
{
    if (!bot.HasExited)
    {
        bot.Kill(entireProcessTree: true);
        await bot.WaitForExitAsync();
    }
}

// The published app as an operator starts it: Production, settings from the environment. Its output goes where
// this process's goes (bench/run keeps it in a log). Pinned with taskset when asked, which execs the bot itself.
Process StartBot()
{
    var start = new ProcessStartInfo(options.ContainsKey("cpu") ? "taskset" : "dotnet") { UseShellExecute = false, WorkingDirectory = data };
    foreach (var arg in (IEnumerable<string>)(options.TryGetValue("cpu", out var cpu) ? ["-c", cpu, "dotnet", botDll] : [botDll]))
    {
        start.ArgumentList.Add(arg);
    }

    foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Slack__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
    {
        start.Environment.Remove(key);
    }

    start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    start.Environment["ASPNETCORE_URLS"] = botUrl.ToString().TrimEnd('/');
    start.Environment["Slack__BotToken"] = slack.Options.BotToken;
    start.Environment["Slack__SigningSecret"] = secret;
    start.Environment["Slack__ApiBaseUrl"] = slack.ApiBaseUrl.ToString();
    start.Environment["Incidents__PostmortemChannel"] = postmortems;
    // The load's channels are fixed, so each incident lives in the channel where it was declared.
    start.Environment["Incidents__CreateChannel"] = "false";
    if (socketMode)
    {
        start.Environment["Slack__AppToken"] = slack.Options.AppToken;
        if (options.TryGetValue("socket-connections", out var connections))
        {
            start.Environment["Slack__SocketConnections"] = connections;
        }
    }

    start.Environment["Storage__Provider"] = database.Provider;
    start.Environment["ConnectionStrings__IncidentBot"] = database.ConnectionString;
    return Process.Start(start)!;
}

async Task WaitReadyAsync()
{
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromSeconds(90))
    {
        if (bot.HasExited)
        {
            throw new InvalidOperationException($"The bot exited with code {bot.ExitCode} before it was ready.");
        }

        try
        {
            using var ready = await http.GetAsync(new Uri(botUrl, "healthz/ready"));
            if (ready.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }

        // Often enough that start_ms (exec to the first 200 from /healthz/ready) is the bot's, not the poll's.
        await Task.Delay(10);
    }

    throw new TimeoutException($"The bot at {botUrl} was not ready within 90 s.");
}
