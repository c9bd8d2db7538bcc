using IncidentBot.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Declare;

/// <summary>Opens the declare modal with a trigger id (it works once, within 3 seconds: this comes first).</summary>
public sealed class DeclareModalOpener(ISlackApiClient slack, IOptions<IncidentsOptions> options)
{
    /// <summary>Null when the modal opened; else why not, for the person.</summary>
    public async Task<string?> OpenAsync(string? triggerId, string userId, ModalOrigin context, CancellationToken cancellationToken)
    {
        if (triggerId is null)
        {
            return "Slack sent no trigger id, so the declare window cannot open: give the title in one go, e.g. `/incident start Checkout API returning 500s`.";
        }

        var view = DeclareModal.Build(context, userId, options.Value.Levels, options.Value.CreateChannel);
        try
        {
            await slack.Views.OpenAsync(OpenViewRequest.For(triggerId, view), cancellationToken);
            return null;
        }
        catch (SlackApiException exception)
        {
            return $"Slack would not open the declare window ({exception.ErrorCode}): give the title in one go, e.g. `/incident start Checkout API returning 500s`.";
        }
    }
}
