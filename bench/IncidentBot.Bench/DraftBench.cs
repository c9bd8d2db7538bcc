using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IncidentBot.Incidents;
using IncidentBot.PostMortems;
using IncidentBot.Sandbox;
using IncidentBot.Storage;
using IncidentBot.Timeline;

namespace IncidentBot.Bench;


/// <summary>
/// A 10,000-entry incident (every section, long texts with mentions and Markdown/Slack specials, many authors) in the
/// bot's own database, then what the publish job does with it before its first post, several rounds: the draft
/// compiled from the database (<see cref="DraftCompiler"/>, names from Slack as the job asks), rendered with the shipped
/// Liquid template, kept as a version (its JSON, the row), and split into labelled Slack messages. Prints each stage,
/// then the medians: compile + render (issue 14's target) and the whole path, wall and the process's CPU.
/// The first round warms up (JIT, the names cache) and is not counted.
/// </summary>
public static class DraftBench
{
    private const int Authors = 60;

    public static async Task RunAsync(string[] args)
    {
        var entries = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var e) ? e : 10_000;
        var rounds = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var r) ? r : 7;

        await using var sandbox = await SandboxHost.StartAsync(TimeProvider.System);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(sandbox.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Incidents:CreateChannel"] = "false" });
        builder.AddIncidentBot();
        await using var app = builder.Build();
        app.MapIncidentBot();
        await app.StartAsync();

        for (var a = 0; a < Authors; a++)
        {
            sandbox.Slack.Workspace.AddUser(Author(a), $"responder{a}", $"Responder Number {a}");
        }

        var incidentId = await SeedAsync(app.Services, entries);
        var stages = new Dictionary<string, List<double>>();
        void Add(string stage, double ms) => (stages.TryGetValue(stage, out var list) ? list : stages[stage] = []).Add(ms);
        for (var round = 0; round <= rounds; round++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var compiler = scope.ServiceProvider.GetRequiredService<DraftCompiler>();
            var template = scope.ServiceProvider.GetRequiredService<PostMortemTemplate>();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var thread = (Id: Environment.CurrentManagedThreadId, Cpu: ThreadCpu.Milliseconds(), Allocated: GC.GetAllocatedBytesForCurrentThread());
            var clock = Stopwatch.StartNew();
            var draft = await compiler.CompileAsync(incidentId, CancellationToken.None);
            var compiled = clock.Elapsed.TotalMilliseconds;
            var markdown = template.Render(draft);
            var rendered = clock.Elapsed.TotalMilliseconds;
            var renderedCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            // The draft is compiled on SQLite without leaving the thread, so its CPU is the thread's (NaN if it moved).
            var renderedThreadCpu = Environment.CurrentManagedThreadId == thread.Id ? ThreadCpu.Milliseconds() - thread.Cpu : double.NaN;
            // What the thread allocated: the one figure a busy machine does not move (it is the GC's work to come).
            var renderedMegabytes = Environment.CurrentManagedThreadId == thread.Id ? (GC.GetAllocatedBytesForCurrentThread() - thread.Allocated) / 1e6 : double.NaN;
            var json = JsonSerializer.Serialize(draft);
            var serialized = clock.Elapsed.TotalMilliseconds;
            // Kept as the job keeps a version; already published, so that the sweep leaves it alone.
            var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
            db.PostMortems.Add(new PostMortem { IncidentId = incidentId, Version = round + 2, Markdown = markdown, DraftJson = json, CompiledAt = DateTime.UtcNow, PublishedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
            var stored = clock.Elapsed.TotalMilliseconds;
            var messages = DraftVersionNotes.Label(SlackDraftMessages.Build(markdown, draft.TitleLine), round + 2, supersededBy: null);
            var split = clock.Elapsed.TotalMilliseconds;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(round == 0 ? "warm-up" : $"round {round}")}: compile {compiled:F1} + render {rendered - compiled:F1} = {rendered:F1} ms ({renderedCpu:F0} ms CPU, {renderedThreadCpu:F0} ms the thread's, {renderedMegabytes:F0} MB allocated); JSON {serialized - rendered:F1} ms, stored {stored - serialized:F1} ms, Slack messages {split - stored:F1} ms; whole path {split:F1} ms wall, {cpuMs:F0} ms CPU " +
                $"({markdown.Length:N0} chars of Markdown, {json.Length:N0} of JSON, {messages.Count} messages)"));
            if (round > 0)
            {
                Add("compile", compiled);
                Add("render", rendered - compiled);
                Add("compile + render", rendered);
                Add("compile + render CPU", renderedCpu);
                Add("compile + render thread CPU", renderedThreadCpu);
                Add("compile + render MB allocated", renderedMegabytes);
                Add("JSON", serialized - rendered);
                Add("stored", stored - serialized);
                Add("Slack messages", split - stored);
                Add("whole path", split);
                Add("whole path CPU", cpuMs);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {rounds}, and the fastest round ({entries:N0} entries, SQLite, client and bot in one process; CPU is the process's, all threads): {string.Join(", ", stages.Select(s => $"{s.Key} {Median(s.Value):F1}{(s.Key.EndsWith("MB allocated", StringComparison.Ordinal) ? "" : " ms")} (min {s.Value.Min():F1})"))}"));
        await app.StopAsync();
    }

    private static string Author(int a) => string.Create(CultureInfo.InvariantCulture, $"U0RESP{a:D4}");

    /// <summary>An incident with <paramref name="count"/> entries: most on the timeline, the rest spread over the other sections.</summary>
    private static async Task<int> SeedAsync(IServiceProvider services, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        var start = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
        var incident = new Incident
        {
            Title = "Checkout down for everyone", Status = IncidentStatus.Closed,
            DeclaredAt = start, ClosedAt = start.AddHours(6), LeaderUserId = Author(0), DeclaredByUserId = Author(1), ChannelName = "inc-checkout", OriginChannelId = "C0BENCH001",
            Description = "Checkout *failed* for <@" + Author(2) + "> and everyone &amp; their carts.",
        };
        // One transaction, so the sweep never sees the closed incident without its version (see below).
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Incidents.Add(incident);
        await db.SaveChangesAsync();
        TimelineSection[] sections = [TimelineSection.ContributingFactors, TimelineSection.StabilizationSteps, TimelineSection.CorrectiveActions];
        for (var i = 0; i < count; i++)
        {
            // Stored as Slack sends message text: mentions as <@U…>, its three characters escaped.
            var text = string.Create(CultureInfo.InvariantCulture,
                $"Entry {i:D5}: <@{Author((i + 7) % Authors)}> sees 5xx &lt; 1% &amp; p99 &gt; 2s on `checkout-api`, *retries* [1] #ops_" +
                $"{new string('x', i % 13)}\n- and a second line; {string.Concat(Enumerable.Repeat("more words about it ", i % 10 == 0 ? 40 : 4))}");
            db.TimelineEntries.Add(new TimelineEntry
            {
                IncidentId = incident.Id, Kind = i % 17 == 0 ? EntryKind.Note : EntryKind.Message,
                Section = i % 5 == 4 ? sections[i / 5 % 3] : TimelineSection.Timeline,
                AuthorUserId = Author(i % Authors), OccurredAt = start.AddSeconds(i), RecordedAt = start, Text = text,
                SourceChannelId = "C0BENCH001", SourceTs = string.Create(CultureInfo.InvariantCulture, $"{1796115600 + i}.000000"),
            });
        }

        // A version already out: otherwise the sweep publishes this closed incident in the background, and the job
        // (compile, render, 300 paced posts) competes with the rounds for the CPU.
        db.PostMortems.Add(new PostMortem { IncidentId = incident.Id, Markdown = "", DraftJson = "{}", CompiledAt = start.AddHours(7), PublishedAt = start.AddHours(7) });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return incident.Id;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
