using System.Runtime.CompilerServices;
using System.Text.Json;
using IncidentBot.Tests.Infrastructure;
using IncidentBot.Tests.SlackFake;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using static IncidentBot.Tests.Sandbox.SandboxPageBrowserTests;
using static IncidentBot.Tests.Sandbox.SandboxShortcutApiTests;

namespace IncidentBot.Tests.Sandbox;

/// <summary>
/// In the browser: the ⚡ menu runs a global shortcut, a message's "More actions" runs a message shortcut, a button
/// with a confirm asks first (Cancel sends nothing), and the Home tab sends app_home_opened and its button clicks.
/// What reached the bot is asserted, not the bot's answer.
/// </summary>
public sealed class SandboxShortcutBrowserTests
{
    private const string Henry = "U0HENRY001";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Shortcuts_run_from_the_menus_and_a_confirmed_button_reaches_the_bot_once()
    {
        // Arrange
        await using var sandbox = await SandboxRun.StartAsync();
        sandbox.Slack.Options.Shortcuts = Shortcuts;
        var (channel, ts) = await PostCardAsync(sandbox);
        await WithBrowserAsync(async (browser, wait) =>
        {
            browser.Navigate().GoToUrl(new Uri(sandbox.BaseUrl, $"?as={Henry}&channel={channel}"));
            wait.Until(b => b.FindElement(By.TagName("body")).GetAttribute("data-ready") == "true");

            // Act: the ⚡ menu.
            Click(wait, b => b.FindElement(By.Id("shortcuts-button")));
            Click(wait, b => b.FindElement(By.CssSelector("#shortcuts-menu .shortcut[data-callback-id='declare_incident']")));
            var shortcut = await ReachedAsync(sandbox, p => p.Str("type") == "shortcut", "the global shortcut");
            // The bot answers with its declare modal; Cancel closes it.
            CloseModal(wait, "Declare incident");

            // Act: More actions on the card.
            Click(wait, b =>
            {
                var card = b.FindElement(By.CssSelector($"#messages article.msg[data-ts='{ts}']"));
                new Actions(b).MoveToElement(card).Perform();
                return card.FindElement(By.CssSelector(".msg-actions .act-more"));
            });
            Click(wait, b => b.FindElement(By.CssSelector($"#messages article.msg[data-ts='{ts}'] .message-shortcut[data-callback-id='add_to_timeline']")));
            var messageAction = await ReachedAsync(sandbox, p => p.Str("type") == "message_action", "the message shortcut");
            CloseModal(wait, "Add to timeline");

            // Act: the Close button asks first; Cancel, then Close it.
            var close = By.CssSelector($"#messages article.msg[data-ts='{ts}'] button.msg-button[data-action-id='close_incident']");
            Click(wait, b => b.FindElement(close));
            wait.Until(b => b.FindElement(By.Id("confirm-dialog")).Displayed);
            var dialog = (browser.FindElement(By.Id("confirm-title")).Text, browser.FindElement(By.Id("confirm-text")).Text, browser.FindElement(By.Id("confirm-yes")).Text, browser.FindElement(By.Id("confirm-no")).Text);
            browser.FindElement(By.Id("confirm-no")).Click();
            wait.Until(b => !b.FindElement(By.Id("confirm-dialog")).Displayed);
            Click(wait, b => b.FindElement(close));
            Click(wait, b => b.FindElement(By.Id("confirm-yes")));
            var clicked = await ReachedAsync(sandbox, p => p.Str("type") == "block_actions", "the confirmed click");

            // Assert
            Assert.Equal(("declare_incident", Henry), (shortcut.Str("callback_id"), shortcut.GetProperty("user").Str("id")));
            Assert.Equal(("add_to_timeline", ts, channel), (messageAction.Str("callback_id"), messageAction.Str("message_ts"), messageAction.GetProperty("channel").Str("id")));
            Assert.Equal(("Close INC-1?", "The post-mortem draft <is> compiled.", "Close it", "Keep open"), dialog);
            Assert.Equal("close_incident", clicked.GetProperty("actions")[0].Str("action_id"));
            Assert.Single(Interactions(sandbox), p => p.Str("type") == "block_actions");
        });
    }

    [Fact]
    public async Task The_home_tab_sends_app_home_opened_shows_the_published_view_and_its_button_reaches_the_bot()
    {
        // Arrange: the real bot publishes its Home tab when it hears app_home_opened.
        await using var sandbox = await SandboxRun.StartAsync();
        await WithBrowserAsync(async (browser, wait) =>
        {
            browser.Navigate().GoToUrl(new Uri(sandbox.BaseUrl, $"?as={Henry}"));
            wait.Until(b => b.FindElement(By.TagName("body")).GetAttribute("data-ready") == "true");

            // Act
            Click(wait, b => b.FindElement(By.Id("app-home-link")));
            var opened = await FirstAsync(
                () => sandbox.Slack.Driver.Deliveries.Where(d => d.Path == "slack/events").Select(d => JsonDocument.Parse(d.RequestBody).RootElement.GetProperty("event")).Where(e => e.Str("type") == "app_home_opened"),
                "app_home_opened",
                sandbox);
            Click(wait, b => b.FindElement(By.CssSelector("#app-home button[data-action-id='home_declare']")));
            var clicked = await ReachedAsync(sandbox, p => p.Str("type") == "block_actions", "the Home tab's button");

            // Assert: the bot's Home tab, and its button opens the declare modal.
            Assert.Equal((Henry, "home"), (opened.Str("user"), opened.Str("tab")));
            Assert.Contains("No incident is live", browser.FindElement(By.CssSelector("#app-home .modal-block[data-block-id='home-none']")).Text, StringComparison.Ordinal);
            Assert.True(browser.FindElement(By.Id("messages")).GetAttribute("hidden") is not null);
            Assert.Equal(("view", "home"), (clicked.GetProperty("container").Str("type"), clicked.GetProperty("view").Str("type")));
            wait.Until(b => b.FindElement(By.Id("modal")).Displayed && b.FindElement(By.Id("modal-title")).Text == "Declare incident");
        });
    }

    /// <summary>Waits for the modal the bot opened, then closes it as a person would.</summary>
    private static void CloseModal(WebDriverWait wait, string title)
    {
        wait.Until(b => b.FindElement(By.Id("modal")).Displayed && b.FindElement(By.Id("modal-title")).Text == title);
        Click(wait, b => b.FindElement(By.Id("modal-close")));
        wait.Until(b => !b.FindElement(By.Id("modal")).Displayed);
    }

    private static Task<JsonElement> ReachedAsync(SandboxRun sandbox, Func<JsonElement, bool> match, string what) =>
        FirstAsync(() => Interactions(sandbox).Where(match), what, sandbox);

    /// <summary>The first of <paramref name="found"/> once there is one (boxed: Eventually waits on references).</summary>
    private static async Task<JsonElement> FirstAsync(Func<IEnumerable<JsonElement>> found, string what, SandboxRun sandbox) =>
        (await Eventually.Value(() => found().Select(p => new StrongBox<JsonElement>(p)).FirstOrDefault(), $"{what} to reach the bot", sandbox.Describe, Deadline)).Value;

    private static async Task WithBrowserAsync(Func<IWebDriver, WebDriverWait, Task> test)
    {
        var profile = Directory.CreateTempSubdirectory("incidentbot-chromium-");
        using var browser = Chromium.Start(profile.FullName);
        try
        {
            await test(browser, Chromium.Wait(browser, Deadline));
        }
        finally
        {
            browser.Quit();
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still hold a file for a moment; the temp folder is cleaned by the system.
            }
        }
    }
}
