using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentBot.Tests.Builders;
using IncidentBot.Tests.Infrastructure;

namespace IncidentBot.Tests.Incidents;

/// <summary>The bot never speaks with more power than the person: what people typed reaches no post as a ping or a disguised link.</summary>
public sealed partial class DisarmedUserTextTests() : OpsChannelTestBase(TestPeople.Ana, TestPeople.Ben)
{
    /// <summary>Every way to ping a crowd, and a link dressed as something else.</summary>
    private const string Armed = "<!channel> <!here> <!everyone> <!subteam^S1> <!subteam^S1|@oncall> <https://evil.example|login>";

    [Fact]
    public async Task A_title_a_note_a_pinned_message_and_a_story_field_reach_no_post_as_a_ping_or_a_disguised_link()
    {
        var slack = Testbed.Slack.Driver;
        var answers = new List<string>();
        async Task CommandAsync(string text)
        {
            var result = await slack.SendSlashCommandAsync(Ana, Ops, "/incident", text);
            answers.Add(result.Delivery.Body);
            await Testbed.SettleAsync();
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        await CommandAsync("start Checkout " + Armed);
        await CommandAsync("note " + Armed);
        await CommandAsync("factor " + Armed);
        await CommandAsync("describe " + Armed);
        await CommandAsync("severity " + Armed);
        var posted = await slack.PostMessageAsync(Ben, Ops, "db down " + Armed);
        await slack.AddReactionAsync(Ana, Ops, posted.Ts, "pushpin");
        await Testbed.SettleAsync();
        await CommandAsync("close");

        var texts = PostedTexts().Concat(answers.SelectMany(TextsOfJson)).ToList();
        Assert.Contains(texts, t => t.Contains("login (<https://evil.example>)", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("@oncall", StringComparison.Ordinal));
        Assert.All(texts, AssertDisarmed);
        var file = Assert.Single(Testbed.Slack.Workspace.Files).ContentAsString;
        Assert.DoesNotMatch(UnescapedSpecial(), file);
        Assert.DoesNotContain("](https://evil.example", file, StringComparison.Ordinal);
        Assert.Contains("login (https://evil.example)", file, StringComparison.Ordinal);
    }

    private static void AssertDisarmed(string mrkdwn)
    {
        Assert.DoesNotMatch(LiveSpecial(), mrkdwn);
        Assert.DoesNotMatch(DisguisedLink(), mrkdwn);
    }

    /// <summary>The mrkdwn of every message, update, ephemeral and response_url post the fake saw (plain_text shows no mention).</summary>
    private IEnumerable<string> PostedTexts()
    {
        string[] posts = ["chat.postMessage", "chat.update", "chat.postEphemeral"];
        foreach (var call in Testbed.Slack.Calls.All.Where(c => posts.Contains(c.Method)))
        {
            if (call.Argument("text") is { } text)
            {
                yield return text;
            }

            foreach (var part in new[] { call.Argument("blocks"), call.Argument("attachments") }.OfType<string>().SelectMany(TextsOfJson))
            {
                yield return part;
            }
        }

        foreach (var response in Testbed.Slack.Driver.Responses)
        {
            foreach (var part in TextsOfJson(response.RawBody))
            {
                yield return part;
            }
        }
    }

    private static IEnumerable<string> TextsOfJson(string json)
    {
        if (string.IsNullOrWhiteSpace(json) || json.TrimStart()[0] is not ('{' or '['))
        {
            return json.Length == 0 ? [] : [json];
        }

        using var document = JsonDocument.Parse(json);
        var found = new List<string>();
        Collect(document.RootElement, found);
        return found;
    }

    private static void Collect(JsonElement element, List<string> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "plain_text":
                return;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, found);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, found);
                }

                break;
            case JsonValueKind.String:
                found.Add(element.GetString()!);
                break;
        }
    }

    [GeneratedRegex(@"<!(channel|here|everyone|subteam\^)")]
    private static partial Regex LiveSpecial();

    [GeneratedRegex(@"(?<!\\)<!(channel|here|everyone|subteam)")]
    private static partial Regex UnescapedSpecial();

    [GeneratedRegex(@"<[^<>|]*evil\.example[^<>|]*\|")]
    private static partial Regex DisguisedLink();
}
