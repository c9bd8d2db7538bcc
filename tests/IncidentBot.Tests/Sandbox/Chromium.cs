using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace IncidentBot.Tests.Sandbox;

/// <summary>Headless Chromium from Debian, driven through its chromedriver; fails (never skips) with what to install.</summary>
public static class Chromium
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";
    private const string Install = "Install them with: sudo apt-get install -y chromium chromium-driver (.ci/run does this on CI).";

    public static ChromeDriver Start(string userDataDir, int width = 1280, int height = 800)
    {
        if (!File.Exists(BrowserPath) || !File.Exists(DriverPath))
        {
            Assert.Fail($"The browser test needs Debian's Chromium at {BrowserPath} and its driver at {DriverPath}; missing: {string.Join(", ", new[] { BrowserPath, DriverPath }.Where(p => !File.Exists(p)))}. {Install}");
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
            $"--user-data-dir={userDataDir}", $"--window-size={width},{height}");
        try
        {
            return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }
        catch (Exception exception) when (exception is WebDriverException or InvalidOperationException)
        {
            service.Dispose();
            Assert.Fail($"Chromium ({BrowserPath}) could not be started through {DriverPath}: {exception.Message} {Install}");
            throw;
        }
    }

    /// <summary>A wait that polls often and retries past elements the page re-rendered meanwhile (stale or not yet there).</summary>
    public static WebDriverWait Wait(IWebDriver browser, TimeSpan deadline)
    {
        var wait = new WebDriverWait(browser, deadline) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        return wait;
    }
}
