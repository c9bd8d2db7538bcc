using System.Net;
using System.Reflection;
using IncidentBot.SlackFake;

namespace IncidentBot.Sandbox.Page;

/// <summary>
/// The sandbox page at <c>/</c>, where a person plays Slack against the bot: server-rendered HTML, one stylesheet and
/// a little plain JavaScript, all embedded in the app (no CDN, no build step). Mapped only in sandbox runs.
/// </summary>
public static class SandboxPage
{
    private const string ResourcePrefix = "IncidentBot.Sandbox.Page.Assets.";

    private static readonly Lazy<string> Html = new(() => Read("page.html"));
    private static readonly Lazy<string> Css = new(() => Read("page.css"));
    private static readonly Lazy<string> Js = new(() => Read("page.js"));

    public static IServiceCollection AddSandboxPage(this IServiceCollection services) => services.AddSingleton<SlashCommandLog>();

    public static WebApplication MapSandboxPage(this WebApplication app)
    {
        app.MapGet("/", (FakeSlackServer slack) => Results.Content(Render(slack), "text/html; charset=utf-8"));
        app.MapGet("/sandbox/page.css", () => Results.Text(Css.Value, "text/css; charset=utf-8"));
        app.MapGet("/sandbox/page.js", () => Results.Text(Js.Value, "text/javascript; charset=utf-8"));
        app.MapSandboxPageApi();
        return app;
    }

    /// <summary>The page shell with the people to choose from; the script fills in channels and messages.</summary>
    private static string Render(FakeSlackServer slack)
    {
        var people = string.Concat(slack.Workspace.Users.Where(u => !u.IsBot && !u.Deleted).Select(u =>
            $"""<li><button type="button" class="person" data-user="{Encode(u.Id)}"><span class="avatar" aria-hidden="true">{Encode(Initials(u.RealName))}</span><span><strong>{Encode(u.RealName)}</strong><small>@{Encode(u.Name)}</small></span></button></li>"""));
        return Html.Value.Replace("{{people}}", people, StringComparison.Ordinal);
    }

    private static string Initials(string name) =>
        string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(w => char.ToUpperInvariant(w[0])));

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The sandbox page resource {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
