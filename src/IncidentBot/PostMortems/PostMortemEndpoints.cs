using IncidentBot.Incidents;
using IncidentBot.Storage;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.PostMortems;

public static class PostMortemEndpoints
{
    /// <summary><c>GET /incidents/{id}/postmortem.md</c>: the stored draft, exactly as published.</summary>
    public static IEndpointRouteBuilder MapPostMortems(this IEndpointRouteBuilder app)
    {
        app.MapGet("/incidents/{id:int}/postmortem.md", async (int id, IncidentBotDbContext db, CancellationToken cancellationToken) =>
        {
            var markdown = await db.PostMortems.Where(p => p.IncidentId == id).Select(p => p.Markdown).FirstOrDefaultAsync(cancellationToken);
            if (markdown is not null)
            {
                return Results.Text(markdown, "text/markdown; charset=utf-8");
            }

            var exists = await db.Incidents.AnyAsync(i => i.Id == id, cancellationToken);
            return Results.Text(exists ? $"Incident {id} has no draft yet: it is compiled when the incident is closed.\n" : $"There is no incident {id}.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        });
        return app;
    }
}
