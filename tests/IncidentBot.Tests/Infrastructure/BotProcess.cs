using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace IncidentBot.Tests.Infrastructure;

/// <summary>
/// The real bot as a separate process (<c>dotnet IncidentBot.dll</c>, configured by environment variables as an
/// operator would): either serving, on the settings an in-process <see cref="BotHost"/> gets and with its own Hangfire
/// server, so a test can kill it with SIGKILL and start another on the same database; or run to its end, as a user
/// runs a command. Output is drained as it comes, so the pipes never fill; the process is killed on dispose whatever
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

    /// <summary>Everything the process wrote so far (standard output and error), for assertions and failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Starts the bot on <paramref name="options"/>' settings (<see cref="BotHostOptions.Configuration"/>; a process
    /// runs its own job server, so only the settings apply) and waits until /healthz answers 200.
    /// </summary>
    public static async Task<BotProcess> StartAsync(BotHostOptions options)
    {
        var bot = Launch([AssemblyPath], AppContext.BaseDirectory, EnvironmentFor(options), serving: true);
        try
        {
            bot.BaseUrl = await bot._listening.Task.WaitAsync(StartTimeout);
            await bot.WaitHealthyAsync(new Uri(bot.BaseUrl, "healthz"));
            return bot;
        }
        catch
        {
            await bot.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="command"/> (<c>dotnet</c>'s arguments, or a wrapper such as <c>setpriv</c> and then
    /// them) with <paramref name="environment"/> as its whole environment, as a container runs it, and waits until
    /// <paramref name="ready"/> answers 200.
    /// </summary>
    public static async Task<BotProcess> StartAsync(string fileName, IEnumerable<string> command, string workingDirectory, IReadOnlyDictionary<string, string> environment, Uri ready)
    {
        var bot = Launch(command, workingDirectory, environment, serving: false, fileName, inherit: false);
        try
        {
            bot.BaseUrl = new Uri(ready, "/");
            await bot.WaitHealthyAsync(ready);
            return bot;
        }
        catch
        {
            await bot.DisposeAsync();
            throw;
        }
    }

    /// <summary>The environment variables a serving bot gets for <paramref name="options"/>: Production, any free loopback port.</summary>
    public static Dictionary<string, string> EnvironmentFor(BotHostOptions options)
    {
        var environment = options.Configuration()
            .Where(setting => setting.Value is not null)
            .ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value!);
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["ASPNETCORE_URLS"] = TestHost.LoopbackUrl;
        // Every SQL statement at Information would only cost the two shared cores time.
        environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";
        return environment;
    }

    /// <summary>Runs the bot with <paramref name="args"/> in <paramref name="workingDirectory"/> until it exits; killed when it takes longer than <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args, TimeSpan timeout)
    {
        await using var bot = Launch([AssemblyPath, .. args], workingDirectory, environment, serving: false);
        using var cancel = new CancellationTokenSource(timeout);
        await bot._process.WaitForExitAsync(cancel.Token);
        return (bot._process.ExitCode, bot.Output);
    }

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

    private static BotProcess Launch(IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, bool serving, string fileName = "dotnet", bool inherit = true)
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new FileNotFoundException("IncidentBot.dll is not in the test output; the test project must reference src/IncidentBot.", AssemblyPath);
        }

        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (!inherit)
        {
            start.Environment.Clear();
        }

        // A developer's shell may hold real credentials; the bot under test must see only what the test gives it.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Slack__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var bot = new BotProcess(process);
        process.OutputDataReceived += (_, line) => bot.OnOutput(line.Data);
        process.ErrorDataReceived += (_, line) => bot.OnOutput(line.Data);
        if (serving)
        {
            process.Exited += (_, _) => bot._listening.TrySetException(new InvalidOperationException($"The bot exited with code {process.ExitCode} before listening.\n{bot.Output}"));
        }

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
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

    private async Task WaitHealthyAsync(Uri probe)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.Until(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The bot at {BaseUrl} exited with code {_process.ExitCode} before it was healthy.\n{Output}");
                }

                try
                {
                    using var response = await http.GetAsync(probe);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet: a process started without waiting for Kestrel's line gets here first.
                    return false;
                }
            },
            $"{probe} to answer 200",
            () => Output,
            StartTimeout);
    }

    // Kestrel's line, written by the console logger: "      Now listening on: http://127.0.0.1:41234", or inside
    // a JSON line's "Message":"Now listening on: http://127.0.0.1:41234".
    [GeneratedRegex(@"Now listening on: (?<url>http://[^\s""]+)")]
    private static partial Regex Listening();
}
