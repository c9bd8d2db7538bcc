using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using IncidentBot.Incidents;
using IncidentBot.PostMortems;
using IncidentBot.Slack.Json;
using IncidentBot.Storage;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Timeline;

namespace IncidentBot.Tests.PostMortems;

/// <summary>
/// Issue 14's speed-ups must not change a byte of what a draft says: a large incident full of awkward text (mentions of
/// known and unknown people, Slack's escapes, Markdown's specials at line starts and inside lines, entity references,
/// blank and indented lines, lifecycle entries, pending messages, removed entries, every section) compiled from the
/// database, rendered, kept as JSON and split into Slack messages, each compared with what the code before the
/// speed-ups produced (recorded as SHA-256, the texts being megabytes).
/// </summary>
/// <remarks>
/// Should the draft change on purpose, the failure prints the new hashes: check the change in the Markdown left beside
/// the test (<c>large-draft.actual.md</c>) before copying them here.
/// </remarks>
public sealed class LargeDraftGoldenTests() : OpsChannelTestBase(TestPeople.Ana)
{
    private const int Entries = 3_000;
    private const int Authors = 25;

    private const string MarkdownSha = "E14C6C0E799F8B883D6867312CC2183EBAA9BD7419F88A7132D365770BBC5C78";
    private const string DraftJsonSha = "9402D96D14D99AA57C87855C5E4C261304C6DF30E94C8FD7643CA64471740750";
    private const string MessagesSha = "3E640A5C75F41F4ECC8CD4F0C35144B6A3BAA6B6C1C6B8E9EABC4286FB9B83D1";
    private const string KnownNamesMarkdownSha = "F943340EE99A17402B775FCBE8D226DB24AE092235C9533CA3059F7AFB3A45BF";

    [Fact]
    public async Task A_large_awkward_draft_compiles_renders_and_splits_exactly_as_before()
    {
        // Some authors are never in the workspace: their ids stay ids, and asking Slack for them fails every time.
        for (var a = 0; a < Authors - 3; a++)
        {
            Testbed.Slack.Workspace.AddUser(Author(a), $"responder{a}", a % 4 == 0 ? $"Rëspønder *{a}* <b>" : $"Responder {a}");
        }

        var incidentId = await SeedAsync();
        await using var scope = Testbed.Bot.Services.CreateAsyncScope();
        var compiler = scope.ServiceProvider.GetRequiredService<DraftCompiler>();
        var template = scope.ServiceProvider.GetRequiredService<PostMortemTemplate>();

        // On the request path first (names known so far: none), as /incident publish compares; then as the job does.
        var knownOnly = template.Render(await compiler.CompileAsync(incidentId, CancellationToken.None, askSlack: false));
        var draft = await compiler.CompileAsync(incidentId, CancellationToken.None);
        var markdown = template.Render(draft);
        var json = JsonSerializer.Serialize(draft);
        var messages = DraftVersionNotes.Label(SlackDraftMessages.Build(markdown, draft.TitleLine), 3, supersededBy: "https://example.slack.com/archives/C1/p1");
        var posted = JsonSerializer.Serialize(messages.Select(m => new { m.Text, m.Blocks }), SlackJson.Options);

        var expected = new { Markdown = MarkdownSha, DraftJson = DraftJsonSha, Messages = MessagesSha, KnownNamesMarkdown = KnownNamesMarkdownSha };
        var actual = new { Markdown = Sha(markdown), DraftJson = Sha(json), Messages = Sha(posted), KnownNamesMarkdown = Sha(knownOnly) };
        if (!actual.Equals(expected))
        {
            await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "PostMortems", "large-draft.actual.md"), markdown);
        }

        Assert.True(messages.Count > 20, $"{messages.Count} messages: the draft is not large enough to split");
        Assert.True(actual.Equals(expected), $"The draft changed: {actual}");
    }

    private static string Sha(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Author(int a) => string.Create(CultureInfo.InvariantCulture, $"U0GOLD{a:D4}");

    /// <summary>What people type, as Slack stores it (its three characters escaped, mentions as tokens).</summary>
    private static readonly string[] Texts =
    [
        "5xx &lt; 1% &amp; p99 &gt; 2s on `checkout-api`, *retries* [1] #ops_ <@{0}> and <@{1}|old name>",
        "1. first step\n2) second step\n1.5 h is not a list\n- dash line\n+ plus\n= equals\n# not a heading",
        "  two leading spaces\n\ttab\n\nblank line above, trailing break\n",
        "&amp;copy; &amp;#169; &amp;#xA9; &amp; alone &amp;amp; <https://example.com/a|b|the link> <mailto:x@y.z|x@y.z>",
        "<!channel> <!here> <!subteam^S1|@oncall> <!date^1505973600^{{date}}|Sept 21> <#C0123|general> <@>",
        "a | table | row\n|---|---|\n~~struck~~ _under_ **bold** __also__ ![img](http://x) <b>html</b> \\ back\\slash",
        "ünïcødé 🚒🔥 — “quotes” ‘single’ … CJK 事件 and a very long word " + new string('w', 400),
        "<@{0}><@{1}><@{2}> back to back, then <<@{0}> and <@{1}>> and <@{2}|>",
    ];

    private async Task<int> SeedAsync()
    {
        return await Testbed.QueryAsync(async db =>
        {
            var start = new DateTime(2017, 9, 20, 8, 0, 0, DateTimeKind.Utc);
            var incident = new Incident
            {
                Title = "Checkout *down* for <everyone> & 1. more", Status = IncidentStatus.Closed, Severity = "SEV1 *critical*",
                DeclaredAt = start.AddMinutes(10), ClosedAt = start.AddHours(7).AddSeconds(13), LeaderUserId = Author(0), DeclaredByUserId = Author(Authors - 1),
                ChannelName = "inc-checkout", OriginChannelId = Ops,
                Description = "It *failed* for <@" + Author(2) + "> &amp; everyone.\n\n- their carts",
                Impact = "1. all of EU\n2. &lt;5% of US", Meeting = "<https://meet.example/abc|review> on Friday",
                DetectedAt = start.AddMinutes(5), MitigatedAt = start.AddHours(3),
            };
            db.Incidents.Add(incident);
            await db.SaveChangesAsync();
            db.IncidentRoles.Add(new IncidentRole { IncidentId = incident.Id, Role = "Scribe", UserId = Author(3) });
            db.IncidentRoles.Add(new IncidentRole { IncidentId = incident.Id, Role = "Communications", UserId = Author(Authors - 2) });
            TimelineSection[] sections = [TimelineSection.ContributingFactors, TimelineSection.StabilizationSteps, TimelineSection.CorrectiveActions];
            for (var i = 0; i < Entries; i++)
            {
                var text = string.Format(CultureInfo.InvariantCulture, Texts[i % Texts.Length], Author((i + 7) % Authors), Author((i + 11) % Authors), Author((i + 13) % Authors));
                if (i % 97 == 0)
                {
                    text += " " + string.Concat(Enumerable.Repeat("a long story of what happened next &amp; after, ", 90));
                }

                db.TimelineEntries.Add(new TimelineEntry
                {
                    IncidentId = incident.Id,
                    Kind = i % 17 == 0 ? EntryKind.Note : i % 29 == 0 ? EntryKind.Lifecycle : EntryKind.Message,
                    Section = i % 5 == 4 ? sections[i / 5 % 3] : TimelineSection.Timeline,
                    AuthorUserId = i % 31 == 0 ? null : Author(i % Authors),
                    // Out of insertion order, some at the same second (then the id decides), some before the declaration.
                    OccurredAt = start.AddSeconds((i * 7919 % (Entries / 2)) + (i % 3 == 0 ? 0.5 : 0)),
                    RecordedAt = start.AddDays(1), Text = text, SourceChannelId = Ops,
                    SourceTs = string.Create(CultureInfo.InvariantCulture, $"{1505894400 + i}.{i % 1000:D6}"),
                    Pending = i % 211 == 0, Removed = i % 101 == 0, EchoPending = i % 7 == 0,
                    ReviewedAt = i % 13 == 0 ? start.AddDays(2) : null,
                });
            }

            await db.SaveChangesAsync();
            return incident.Id;
        });
    }
}
