using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using Xunit.Abstractions;

namespace IncidentBot.Tests.Sandbox;

/// <summary>A person plays a whole incident on the sandbox page, in a real (headless) browser.</summary>
public sealed class SandboxPageBrowserTests(ITestOutputHelper output)
{
    // Generous: the sandbox runs its jobs on Hangfire's real server, and a step was seen once past 60 s in a loaded
    // full run (a hang still fails the test).
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private const string Corrected = "Third: we rolled back the checkout deploy after its canary failed";

    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "TestResults", "sandbox-page.png");

    [Fact]
    public async Task A_whole_incident_played_in_the_browser_ends_with_a_draft_whose_timeline_holds_the_pinned_messages_in_order_and_a_review_edit_publishes_a_revised_one()
    {
        // Arrange
        await using var sandbox = await SandboxRun.StartAsync();
        var profile = Directory.CreateTempSubdirectory("incidentbot-chromium-");
        using var browser = Chromium.Start(profile.FullName);
        var wait = Chromium.Wait(browser, Deadline);
        var clock = Stopwatch.StartNew();
        string[] said = ["First: checkout answers 502 to 40% of requests", "Second: lunch is in the kitchen", "Third: rolled back the payments deploy"];

        try
        {
            // Act: who I am, where I am, and the incident.
            browser.Navigate().GoToUrl(sandbox.BaseUrl);
            wait.Until(b => b.FindElement(By.TagName("body")).GetAttribute("data-ready") == "true");
            Click(wait, b => b.FindElement(By.XPath("//button[contains(@class,'person')][.//strong[text()='Henry Clifford']]")));
            Click(wait, b => Channel(b, "consumer-eng"));
            wait.Until(b => b.FindElement(By.Id("view-title")).Text == "#consumer-eng");
            // Declared through the modal: /incident start with no title opens it.
            Type(browser, wait, "/incident start");
            wait.Until(b => b.FindElement(By.Id("modal")).Displayed && b.FindElement(By.Id("modal-title")).Text == "Declare incident");
            browser.FindElement(By.CssSelector("input.modal-input[data-block-id='declare-title']")).SendKeys("Browser outage");
            browser.FindElement(By.CssSelector("select.modal-input[data-block-id='declare-severity'] option[value='SEV2']")).Click();
            Assert.Equal("U0HENRY001", browser.FindElement(By.CssSelector("select.modal-input[data-block-id='declare-lead']")).GetDomProperty("value"));
            Click(wait, b => b.FindElement(By.Id("modal-submit")));
            wait.Until(b => !b.FindElement(By.Id("modal")).Displayed);
            wait.Until(b => Messages(b).Any(m => m.Text.Contains("declared INC-1 *Browser outage*", StringComparison.Ordinal) || m.Text.Contains("declared INC-1 Browser outage", StringComparison.Ordinal)));

            // The bot opens the incident channel and invites Henry: the channel list updates by itself.
            var incidentChannel = wait.Until(b => b.FindElements(By.CssSelector("#channel-list .channel .name")).Select(n => n.Text).FirstOrDefault(n => n.StartsWith("inc-", StringComparison.Ordinal) && n.EndsWith("-browser-outage", StringComparison.Ordinal)));
            Click(wait, b => Channel(b, incidentChannel!));
            wait.Until(b => b.FindElement(By.Id("view-title")).Text == "#" + incidentChannel);
            foreach (var text in said)
            {
                Type(browser, wait, text);
                wait.Until(b => Message(b, text) is not null);
            }

            Pin(wait, said[0]);
            Pin(wait, said[2]);
            Type(browser, wait, "/incident close");
            wait.Until(b => Messages(b).Any(m => m.Text.Contains("Incident resolved", StringComparison.Ordinal)));
            Click(wait, b => b.FindElement(By.Id("drafts-link")));
            var draft = wait.Until(b => b.FindElements(By.CssSelector("#drafts .draft .markdown")).FirstOrDefault(d => d.Text.Contains("Browser outage", StringComparison.Ordinal)));
            var shown = draft!.Text;
            output.WriteLine($"The draft appeared {clock.Elapsed.TotalSeconds:0.0} s after the page opened.");

            // Assert: the pinned messages, in the order they were said, in the timeline; the unpinned one nowhere.
            var timeline = Section(shown, "Timeline");
            var first = timeline.IndexOf(said[0], StringComparison.Ordinal);
            var third = timeline.IndexOf(said[2], StringComparison.Ordinal);
            Assert.True(first >= 0, $"The first pinned message is missing from the draft's timeline:\n{timeline}");
            Assert.True(third > first, $"The pinned messages are not in the order they were said:\n{timeline}");
            Assert.DoesNotContain(said[1], shown, StringComparison.Ordinal);
            Assert.NotNull(draft.FindElement(By.XPath("ancestor::article//a[contains(@href,'/postmortem.md')]")));

            // Act again: review. The command opens the review modal; Edit on the third message opens its form.
            Click(wait, b => Channel(b, incidentChannel!));
            wait.Until(b => b.FindElement(By.Id("view-title")).Text == "#" + incidentChannel);
            Type(browser, wait, "/incident timeline");
            wait.Until(b => b.FindElement(By.Id("modal")).Displayed && b.FindElement(By.Id("modal-title")).Text == "Review timeline");
            var entry = wait.Until(b => b.FindElements(By.CssSelector("#modal .modal-block[data-type='section']")).FirstOrDefault(e => e.Text.Contains(said[2], StringComparison.Ordinal)))!;
            var entryBlock = entry.GetAttribute("data-block-id");
            Click(wait, b => b.FindElement(By.CssSelector($"#modal .modal-block[data-block-id='{entryBlock}-actions'] button[data-action-id='review_edit']")));
            wait.Until(b => b.FindElement(By.Id("modal-title")).Text == "Edit entry");
            var input = browser.FindElement(By.CssSelector("textarea.modal-input[data-block-id='entry-text']"));
            Assert.Equal(said[2], input.GetAttribute("value"));
            input.Clear();
            input.SendKeys(Corrected);
            Click(wait, b => b.FindElement(By.Id("modal-submit")));

            // The form closes onto the review, refreshed: the entry says what was corrected, and who corrected it.
            wait.Until(b => b.FindElement(By.Id("modal-title")).Text == "Review timeline"
                            && b.FindElement(By.CssSelector($"#modal .modal-block[data-block-id='{entryBlock}']")).Text.Contains(Corrected, StringComparison.Ordinal));
            Assert.Contains("Edited by Henry Clifford", browser.FindElement(By.CssSelector($"#modal .modal-block[data-block-id='{entryBlock}']")).Text, StringComparison.Ordinal);
            Click(wait, b => b.FindElement(By.CssSelector("#modal button[data-action-id='review_publish']")));
            wait.Until(b => b.FindElement(By.Id("modal")).Text.Contains("Publishing version 2", StringComparison.Ordinal));
            Click(wait, b => b.FindElement(By.Id("modal-close")));
            wait.Until(b => !b.FindElement(By.Id("modal")).Displayed);

            // Assert: the drafts page shows version 2, with the correction in place of what was typed.
            Click(wait, b => b.FindElement(By.Id("drafts-link")));
            var revised = wait.Until(b => b.FindElements(By.CssSelector("#drafts .draft .markdown")).FirstOrDefault(d => d.Text.Contains(Corrected, StringComparison.Ordinal)))!;
            Assert.DoesNotContain(said[2], Section(revised.Text, "Timeline"), StringComparison.Ordinal);
            Assert.Contains(said[0], Section(revised.Text, "Timeline"), StringComparison.Ordinal);
            output.WriteLine($"The revised draft appeared {clock.Elapsed.TotalSeconds:0.0} s after the page opened.");
        }
        catch
        {
            foreach (var line in sandbox.Problems)
            {
                output.WriteLine(line);
            }

            throw;
        }
        finally
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
            browser.GetScreenshot().SaveAsFile(ScreenshotPath);
            output.WriteLine($"Screenshot: {ScreenshotPath}");
            browser.Quit();
            TryDelete(profile);
        }
    }

    /// <summary>
    /// Finds and clicks in one step, again if need be: the page re-renders lists as it polls, so an element found a
    /// moment ago can be gone by the time it is clicked (a stale reference, which the wait ignores and retries).
    /// </summary>
    internal static void Click(WebDriverWait wait, Func<IWebDriver, IWebElement?> find) =>
        wait.Until(b =>
        {
            if (find(b) is not { Displayed: true } element)
            {
                return false;
            }

            element.Click();
            return true;
        });

    private static IWebElement? Channel(IWebDriver browser, string name) =>
        browser.FindElements(By.CssSelector("#channel-list button.channel")).FirstOrDefault(c => c.FindElement(By.CssSelector(".name")).Text == name);

    private static IReadOnlyList<IWebElement> Messages(IWebDriver browser) => browser.FindElements(By.CssSelector("#messages article.msg"));

    private static IWebElement? Message(IWebDriver browser, string text) =>
        Messages(browser).FirstOrDefault(m => m.FindElements(By.CssSelector(".msg-text")).Any(t => t.Text == text));

    private static void Type(IWebDriver browser, WebDriverWait wait, string text)
    {
        var composer = wait.Until(b => b.FindElement(By.Id("composer-input")) is { Enabled: true } input ? input : null)!;
        composer.Click();
        composer.SendKeys(text + Keys.Enter);
        wait.Until(b => b.FindElement(By.Id("composer-input")).GetAttribute("value") == "");
    }

    /// <summary>Points at the message, clicks its 📌 action, and waits until the page shows my pushpin on it.</summary>
    private static void Pin(WebDriverWait wait, string text)
    {
        Click(wait, b =>
        {
            // The actions show on hover, on the message as the page shows it now.
            var message = Message(b, text);
            if (message is not null)
            {
                new Actions(b).MoveToElement(message).Perform();
            }

            return message?.FindElement(By.CssSelector(".msg-actions .act-pushpin"));
        });
        wait.Until(b => Message(b, text)?.FindElements(By.CssSelector(".reactions .reaction[data-name='pushpin'][aria-pressed='true']")).Count == 1);
    }

    /// <summary>The text of a draft section: from its heading to the next one.</summary>
    private static string Section(string draft, string heading)
    {
        var start = draft.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"The draft has no {heading} section:\n{draft}");
        var next = draft.IndexOf("\nContributing Factor", start + heading.Length, StringComparison.Ordinal);
        return next < 0 ? draft[start..] : draft[start..next];
    }

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the temp folder is cleaned by the system.
        }
    }
}
