using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using IncidentBot.SlackFake;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// The real bot as a separate process (<c>dotnet IncidentBot.dll</c>, configured by environment variables as an
/// operator would), running its own Hangfire server, so a test can kill it with SIGKILL and start another on the same
/// database. Output is drained as it comes, so the pipes never fill; the process is killed on dispose whatever
/// happened.
/// </summary>
public sealed partial class BotProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BotProcess(Process process) => _process = process;

    public Uri BaseUrl { get; private set; } = null!;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The bot's build output: the test project references it, so it sits next to the test assembly.</summary>
    public static string AssemblyPath { get; } = Path.Combine(AppContext.BaseDirectory, "IncidentBot.dll");

    /// <summary>Starts the bot against <paramref name="slack"/> on <paramref name="databasePath"/> and waits until /healthz answers 200.</summary>
    /// <param name="dedicatedChannels">Open each incident in a channel of its own (the product's default) rather than where it was declared.</param>
    public static async Task<BotProcess> StartAsync(FakeSlackServer slack, string databasePath, bool dedicatedChannels = false)
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new FileNotFoundException("IncidentBot.dll is not in the test output; the test project must reference src/IncidentBot.", AssemblyPath);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { AssemblyPath },
            WorkingDirectory = AppContext.BaseDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var environment = start.Environment;
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        environment["Slack__BotToken"] = slack.Options.BotToken;
        environment["Slack__SigningSecret"] = slack.Options.SigningSecret;
        environment["Slack__ApiBaseUrl"] = slack.ApiBaseUrl.ToString();
        environment["Incidents__PostmortemChannel"] = "C0POSTMORTEMS";
        environment["Incidents__CreateChannel"] = dedicatedChannels ? "true" : "false";
        environment["ConnectionStrings__IncidentBot"] = $"Data Source={databasePath}";
        // Every SQL statement at Information would only cost the two shared cores time.
        environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var bot = new BotProcess(process);
        process.OutputDataReceived += (_, line) => bot.OnOutput(line.Data);
        process.ErrorDataReceived += (_, line) => bot.OnOutput(line.Data);
        process.Exited += (_, _) => bot._listening.TrySetException(new InvalidOperationException($"The bot exited with code {process.ExitCode} before listening.\n{bot.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            bot.BaseUrl = await bot._listening.Task.WaitAsync(StartTimeout);
            await bot.WaitHealthyAsync();
            return bot;
        }
        catch
        {
            await bot.DisposeAsync();
            throw;
        }
    }

    /// <summary>Everything the process wrote so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>SIGKILL, as <c>kill -9</c>: no shutdown, no flush, no finally.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (Listening().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups["url"].Value.TrimEnd('/') + "/"));
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using (var response = await http.GetAsync(new Uri("healthz", UriKind.Relative)))
            {
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }

            if (deadline.Elapsed > StartTimeout || _process.HasExited)
            {
                throw new TimeoutException($"The bot at {BaseUrl} did not become healthy within {StartTimeout}.\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    // Kestrel's line, written by the console logger: "      Now listening on: http://127.0.0.1:41234".
    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex Listening();
}
