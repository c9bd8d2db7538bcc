using System.Diagnostics;

namespace IncidentBot.Tests.Management;

/// <summary>Runs the .NET CLI in the repo root, as a person would from a clean shell, and returns what it printed.</summary>
internal static class DotnetCli
{
    /// <summary>Fails the test, with everything the CLI printed, unless it exits 0 within <paramref name="limit"/>.</summary>
    public static async Task<string> RunAsync(TimeSpan limit, params IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DeploymentFiles.RepoRoot,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host runs under `dotnet test`, whose MSBuild settings would point a nested build at its own.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A hung CLI left running would hold its build nodes and files for the rest of the run.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"dotnet {string.Join(' ', args)} did not finish within {limit}:\n{await stdout}\n{await stderr}");
        }

        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
