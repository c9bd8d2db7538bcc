using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.PostMortems;

public static class PostMortemEndpoints
{
    /// <summary>
    /// <c>GET /incidents/{id}/postmortem.md</c>: the latest version of the stored draft, exactly as published;
    /// <c>?version=N</c> an earlier one.
    /// </summary>
    public static IEndpointRouteBuilder MapPostMortems(this IEndpointRouteBuilder app)
    {
        app.MapGet("/incidents/{id:int}/postmortem.md", async (int id, int? version, IncidentBotDbContext db, CancellationToken cancellationToken) =>
        {
            var versions = db.PostMortems.Where(p => p.IncidentId == id);
            var markdown = await (version is { } wanted ? versions.Where(p => p.Version == wanted) : versions.OrderByDescending(p => p.Version))
                .Select(p => p.Markdown)
                .FirstOrDefaultAsync(cancellationToken);
            if (markdown is not null)
            {
                return Results.Text(markdown, "text/markdown; charset=utf-8");
            }

            var exists = await db.Incidents.AnyAsync(i => i.Id == id, cancellationToken);
            var latest = await versions.MaxAsync(p => (int?)p.Version, cancellationToken);
            var why = (exists, latest) switch
            {
                (false, _) => $"There is no incident {id}.",
                (true, null) => $"Incident {id} has no draft yet: it is compiled when the incident is closed.",
                _ => $"Incident {id} has no draft version {version}: its versions are 1 to {latest}.",
            };
            return Results.Text(why + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        });
        return app;
    }
}
