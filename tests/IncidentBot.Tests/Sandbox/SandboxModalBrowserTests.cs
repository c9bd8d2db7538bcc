using System.Text.Json.Nodes;
using IncidentBot.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace IncidentBot.Tests.Sandbox;

/// <summary>A modal opened for the person on the page is drawn over it, keeps what they type across polls, and closes.</summary>
public sealed class SandboxModalBrowserTests
{
    private const string Henry = "U0HENRY001";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_modal_shows_its_blocks_sends_what_was_typed_with_a_click_and_closes()
    {
        // Arrange
        await using var sandbox = await SandboxRun.StartAsync();
        var profile = Directory.CreateTempSubdirectory("incidentbot-chromium-");
        using var browser = Chromium.Start(profile.FullName);
        var wait = Chromium.Wait(browser, Deadline);
        try
        {
            browser.Navigate().GoToUrl(new Uri(sandbox.BaseUrl, $"?as={Henry}"));
            wait.Until(b => b.FindElement(By.TagName("body")).GetAttribute("data-ready") == "true");
            var viewId = await SandboxModalApiTests.OpenModalAsync(sandbox, Henry, SandboxModalApiTests.ReviewModal());

            // Act
            wait.Until(b => b.FindElement(By.Id("modal")).Displayed && b.FindElement(By.Id("modal-title")).Text == "Timeline");
            var note = browser.FindElement(By.CssSelector("textarea.modal-input[data-block-id='note'][data-action-id='text']"));
            note.SendKeys("rolled back");
            browser.FindElement(By.CssSelector("#modal button[data-action-id='next_page']")).Click();
            var click = await Eventually.Value(
                () => sandbox.Slack.Driver.Deliveries.Where(d => d.Path == "slack/interactions").Select(Payload).FirstOrDefault(p => (string?)p["type"] == "block_actions"),
                "the click to reach the bot",
                sandbox.Describe,
                Deadline);

            // Assert: the click carried the typing, the page kept it, the close button closes.
            Assert.Equal("rolled back", (string?)click["state"]?["values"]?["note"]?["text"]?["value"]);
            Assert.Contains("<strong>10:02</strong>", browser.FindElement(By.CssSelector(".modal-block[data-block-id='entry_1']")).GetAttribute("innerHTML"), StringComparison.Ordinal);
            Assert.Equal("Edit", browser.FindElement(By.CssSelector(".modal-block[data-block-id='entry_1'] button[data-action-id='edit_entry']")).Text);
            Assert.Equal("rolled back", browser.FindElement(By.CssSelector("textarea.modal-input[data-block-id='note']")).GetAttribute("value"));
            Assert.Equal("Publish", browser.FindElement(By.Id("modal-submit")).Text);
            browser.FindElement(By.Id("modal-close")).Click();
            wait.Until(b => !b.FindElement(By.Id("modal")).Displayed);
            Assert.False(sandbox.Slack.Workspace.FindView(viewId)!.IsOpen);
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

    private static JsonNode Payload(IncidentBot.SlackFake.Driver.DeliveryResult delivery) =>
        JsonNode.Parse(QueryHelpers.ParseQuery(delivery.RequestBody)["payload"].ToString())!;
}
