using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IncidentBot;

/// <summary>Runs the options validation the host would run at start, and turns its failures into a list of what to set.</summary>
public static partial class StartupProblems
{
    public const int ExitCode = 78; // EX_CONFIG

    public static IReadOnlyList<string> Find(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException exception)
        {
            return Messages([exception]);
        }
        catch (AggregateException exception) when (exception.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return Messages(exception.InnerExceptions.Cast<OptionsValidationException>());
        }
    }

    public static int Report(IReadOnlyList<string> problems, TextWriter output)
    {
        output.WriteLine("IncidentBot cannot start:");
        foreach (var problem in problems)
        {
            output.WriteLine($"  - {problem}");
        }

        output.WriteLine("Settings come from appsettings.json, environment variables (Slack__BotToken, …) or `dotnet user-secrets`; see README.md, \"Configuration\".");
        return ExitCode;
    }

    /// <summary>DataAnnotations wrap our messages in "… with the error: '…'."; keep only ours.</summary>
    private static List<string> Messages(IEnumerable<OptionsValidationException> exceptions) =>
        exceptions
            .SelectMany(e => e.Failures)
            .Select(failure => DataAnnotationFailure().Match(failure) is { Success: true } match ? match.Groups["message"].Value : failure)
            .Distinct()
            .ToList();

    [GeneratedRegex(@"with the error: '(?<message>.*)'\.?$")]
    private static partial Regex DataAnnotationFailure();
}
