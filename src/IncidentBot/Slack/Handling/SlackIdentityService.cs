using IncidentBot.Slack.WebApi;

namespace IncidentBot.Slack.Handling;

/// <summary>
/// Learns the bot's identity with auth.test when the app starts, retrying with backoff while Slack is unreachable,
/// and stopping with a clear log line when the token is refused: retrying a revoked token helps nobody.
/// </summary>
internal sealed partial class SlackIdentityService(
    ISlackApiClient slack,
    SlackBotIdentity identity,
    TimeProvider time,
    ILogger<SlackIdentityService> logger) : BackgroundService
{
    private static readonly HashSet<string> FatalErrors = ["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "no_permission"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(2);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var me = await slack.Auth.TestAsync(stoppingToken);
                identity.Set(me.UserId, me.BotId, me.TeamId, me.AppId);
                Log.Connected(logger, me.Team ?? me.TeamId, me.User ?? me.UserId, me.UserId);
                return;
            }
            catch (SlackApiException exception) when (FatalErrors.Contains(exception.ErrorCode))
            {
                Log.TokenRefused(logger, exception.ErrorCode);
                return;
            }
            catch (Exception exception) when (exception is SlackApiException or SlackUnavailableException)
            {
                Log.Retrying(logger, exception.Message, delay.TotalSeconds);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 60));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Connected to Slack workspace {Team} as {BotName} ({BotUserId})")]
        public static partial void Connected(ILogger logger, string team, string botName, string botUserId);

        [LoggerMessage(EventId = 1301, Level = LogLevel.Critical, Message = "Slack refused the bot token ({ErrorCode}). Check Slack:BotToken (Slack__BotToken): it must be the app's current Bot User OAuth Token")]
        public static partial void TokenRefused(ILogger logger, string errorCode);

        [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Could not reach Slack auth.test ({Reason}); trying again in {DelaySeconds} s")]
        public static partial void Retrying(ILogger logger, string reason, double delaySeconds);
    }
}
