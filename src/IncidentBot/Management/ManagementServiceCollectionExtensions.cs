using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace IncidentBot.Management;

public static class ManagementServiceCollectionExtensions
{
    private const string DefaultUrl = "http://localhost:5000";

    /// <summary>
    /// Management: a second port for operators (<c>Management:Urls</c>), listened on next to the Slack-facing URLs
    /// (<c>ASPNETCORE_URLS</c>, or <c>ASPNETCORE_HTTP_PORTS</c>), and the split of what each port serves.
    /// </summary>
    public static WebApplicationBuilder AddManagement(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ManagementOptions>().BindConfiguration(ManagementOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ManagementOptions>>(new ManagementOptionsValidator(SlackFacingUrls(builder.Configuration)));
        var options = builder.Configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new ManagementOptions();
        var slackFacing = SlackFacingUrls(builder.Configuration);
        var (ports, _) = ManagementPorts.Parse(options.Urls, slackFacing);
        builder.Services.AddSingleton(new ManagementPorts(ports));
        if (ports.Count > 0)
        {
            builder.WebHost.UseUrls([.. slackFacing, .. options.Urls!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);
            // The ports are in the URLs now; left set too, Kestrel warns on every start that the URLs override them.
            builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
        }

        return builder;
    }

    /// <summary>
    /// Each port serves only its own: the Slack-facing one <c>/slack/*</c> and <c>/healthz/*</c>; the management one
    /// everything but <c>/slack/*</c>. Anything else is 404, as if it did not exist.
    /// </summary>
    public static WebApplication UseManagementSplit(this WebApplication app)
    {
        var ports = app.Services.GetRequiredService<ManagementPorts>();
        if (!app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value.SplitPorts)
        {
            return app;
        }

        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            var slack = path.StartsWithSegments("/slack");
            var health = path.StartsWithSegments("/healthz");
            var allowed = ports.IsManagement(context) ? !slack : slack || health;
            if (allowed)
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        return app;
    }

    /// <summary>
    /// Whether any port serves the operators' routes (<c>/metrics</c>, the drafts, the dashboard): a management port,
    /// or the sandbox's one unsplit port. Without one, nothing could scrape metrics. (A management URL that is not
    /// valid stops the bot at start, so it need not be parsed here.)
    /// </summary>
    public static bool ServesOperatorRoutes(IConfiguration configuration)
    {
        var options = configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new ManagementOptions();
        return !options.SplitPorts || !string.IsNullOrWhiteSpace(options.Urls);
    }

    internal static List<string> SlackFacingUrls(IConfiguration configuration)
    {
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        if (configuration["http_ports"] is { Length: > 0 } httpPorts)
        {
            return [.. httpPorts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(port => $"http://*:{port}")];
        }

        return [DefaultUrl];
    }
}

/// <summary>A bad <c>Management:Urls</c> is reported with the other start-up problems (exit 78).</summary>
internal sealed class ManagementOptionsValidator(IReadOnlyList<string> slackFacing) : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options) =>
        ManagementPorts.Parse(options.Urls, slackFacing).Problem is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
