using System.Globalization;
using Hangfire;
using IncidentBot.Storage;
using IncidentBot.PostMortems;
using IncidentBot.SlackFake.Scenarios;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Sandbox;

/// <summary>
/// <c>dotnet run --project src/IncidentBot -- demo</c>: replays the seed incident through the fake Slack at its own
/// times, exactly as Slack would send it, prints a line per step and the published draft, and writes the draft to
/// <c>postmortem-&lt;date&gt;-&lt;slug&gt;.md</c>. Exit code 0 only once the draft was published.
/// </summary>
public sealed class DemoRun(SandboxHost host, TimeProvider clock, JobStorage jobs, IServiceScopeFactory scopes)
{
    private static readonly TimeSpan PublishDeadline = TimeSpan.FromSeconds(90);

    public async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var seed = SeedIncident.Create();
        var names = seed.Users.ToDictionary(u => u.Id, u => u.RealName);
        output.WriteLine($"Replaying the seed incident in #{seed.ChannelName}, through the fake Slack ({host.Slack.BaseUrl}):");
        var player = new ScenarioPlayer(host.Slack, at => ((ReplayClock)clock).MoveTo(at));
        await player.PlayAsync(seed, afterStep: async (step, run) =>
        {
            await WaitUntilIdleAsync(cancellationToken);
            output.WriteLine(Describe(step, names, run));
        }, cancellationToken: cancellationToken);

        var published = await WaitForDraftAsync(cancellationToken);
        if (published is null)
        {
            output.WriteLine($"The draft was not published within {PublishDeadline.TotalSeconds} s: see the log above.");
            return 1;
        }

        var file = Path.GetFullPath(published.Value.FileName);
        await File.WriteAllTextAsync(file, published.Value.Markdown, cancellationToken);
        output.WriteLine();
        output.WriteLine(published.Value.Markdown);
        output.WriteLine($"Published in #{SandboxWorkspace.PostmortemsChannel}, and written to {file}");
        return 0;
    }

    private static string Describe(ScenarioStep step, Dictionary<string, string> names, ScenarioRun run)
    {
        var at = step.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var who = names.GetValueOrDefault(step.UserId, step.UserId);
        return step switch
        {
            Say say => $"  {at}  {who}: {Shorten(say.Text)}",
            React react => $"  {at}  {who} reacts :{react.Emoji}: to \"{react.Label}\"",
            Unreact unreact => $"  {at}  {who} removes :{unreact.Emoji}: from \"{unreact.Label}\"",
            Command command => $"  {at}  {who} types {Shorten(command.Line)}  →  {Shorten(Answer(run))}",
            ClickInModal click => $"  {at}  {who} clicks {click.Button}{(click.Near is null ? "" : $" on \"{Shorten(click.Near)}\"")}",
            FillInModal fill => $"  {at}  {who} writes in {fill.Label}: {Shorten(fill.Value)}",
            SubmitModal => $"  {at}  {who} saves  →  {(run.Modals[^1] is { Refusal: { } refusal } ? refusal : run.Modals[^1].Errors.Count > 0 ? string.Join("; ", run.Modals[^1].Errors.Values) : "saved")}",
            _ => $"  {at}  {who}: {step.GetType().Name}",
        };
    }

    private static string Answer(ScenarioRun run) =>
        run.Commands[^1].Json is { } json && json.TryGetProperty("text", out var text) ? text.GetString()!.Split('\n')[0]
        : run.Commands[^1].StatusCode == 200 ? "a modal opens" : $"HTTP {run.Commands[^1].StatusCode}";

    private static string Shorten(string text) => text.Length <= 90 ? text : text[..87] + "...";

    /// <summary>Between two replayed steps, everything the last one set off (jobs, Slack's echoes) has finished.</summary>
    private async Task WaitUntilIdleAsync(CancellationToken cancellationToken)
    {
        var monitor = jobs.GetMonitoringApi();
        for (var i = 0; i < 600; i++)
        {
            await host.Slack.WhenIdleAsync();
            if (monitor.EnqueuedCount("default") == 0 && monitor.ProcessingCount() == 0)
            {
                return;
            }

            await Task.Delay(25, cancellationToken);
        }
    }

    private async Task<(string Markdown, string FileName)?> WaitForDraftAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + PublishDeadline;
        while (DateTime.UtcNow < deadline)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
            var postMortem = await db.PostMortems.AsNoTracking().Where(p => p.PublishedAt != null).OrderByDescending(p => p.Version).FirstOrDefaultAsync(cancellationToken);
            if (postMortem is not null)
            {
                var draft = System.Text.Json.JsonSerializer.Deserialize<PostMortemDraft>(postMortem.DraftJson)!;
                return (postMortem.Markdown, PublishPostMortemJob.FileName(draft, postMortem.Version));
            }

            await Task.Delay(100, cancellationToken);
        }

        return null;
    }
}
