using IncidentBot.Incidents;
using IncidentBot.Incidents.Declare;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;

namespace IncidentBot.AppHome;

/// <summary>Opening the Home tab shows it as it is now (views.publish is idempotent, so a redelivered event only shows it again).</summary>
internal sealed partial class PublishHomeWhenOpened(IncidentVisibility visibility, ISlackApiClient slack, TimeProvider time, ILogger<PublishHomeWhenOpened> logger) : IEventHandler<AppHomeOpened>
{
    public async Task HandleAsync(AppHomeOpened opened, CancellationToken cancellationToken)
    {
        if (opened.Tab != "home" || opened.User.Length == 0)
        {
            return;
        }

        var live = await visibility.LiveFor(opened.User, cancellationToken);
        try
        {
            await slack.Views.PublishAsync(PublishViewRequest.For(opened.User, HomeTab.Build(live, time.GetUtcNow().UtcDateTime)), cancellationToken);
        }
        catch (SlackApiException exception) when (!SlackFailures.IsTransient(exception))
        {
            // Nothing to retry: the person sees the last home view until they open the tab again.
            Log.NotPublished(logger, exception, opened.User, exception.ErrorCode);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3500, Level = LogLevel.Warning, Message = "Could not publish the Home tab of {UserId}: {Error}")]
        public static partial void NotPublished(ILogger logger, Exception exception, string userId, string error);
    }
}

/// <summary>The Home tab's Declare incident button: the declare modal, with the click's trigger id.</summary>
internal sealed class DeclareFromHomeButton(DeclareModalOpener modal) : IBlockActionHandler
{
    public Task HandleAsync(BlockAction action, BlockActions payload, CancellationToken cancellationToken) =>
        modal.OpenAsync(payload.TriggerId, payload.User.Id, new ModalOrigin(null, null), cancellationToken);
}
