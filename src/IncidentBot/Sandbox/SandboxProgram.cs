namespace IncidentBot.Sandbox;

/// <summary>
/// A sandbox or demo run: the fake Slack starts first, the unchanged bot is pointed at it, and only then are the
/// sandbox's own parts (the page, the demo replay, the fake's types) wired in. A production run never reaches here.
/// </summary>
public static class SandboxProgram
{
    public static async Task<int> RunAsync(WebApplicationBuilder builder, string[] args)
    {
        if (SandboxMode.Refusal(builder.Configuration, builder.Environment, args) is { } refused)
        {
            return StartupProblems.Report([refused], Console.Error);
        }

        var (sandbox, problem) = await SandboxLauncher.PrepareAsync(builder, args);
        if (problem is not null)
        {
            return StartupProblems.Report([problem], Console.Error);
        }

        await using (sandbox)
        {
            return await IncidentBotProgram.RunAsync(builder, app => SandboxLauncher.RunAsync(app, sandbox!, args));
        }
    }
}
