using Hangfire;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Jobs;

/// <summary>
/// Opens a declared incident's channel after the command was acknowledged: create it (a suffix when the name is
/// taken), invite the declarer, set the topic, announce, and link it where the command was typed. Every step is
/// recorded as it completes, so a rerun (after a restart) resumes instead of repeating. A failure is told to the
/// declarer, never swallowed.
/// </summary>
public sealed partial class OpenIncidentChannelJob(
    IncidentBotDbContext db,
    ISlackApiClient slack,
    IResponseUrlClient responses,
    OwnChannelLookup ownChannels,
    IOptions<IncidentsOptions> options,
    IOptions<TimelineOptions> timelineOptions,
    ILogger<OpenIncidentChannelJob> logger)
{
    private const int MaxNameAttempts = 20;

    // Failures are handled here (told to the declarer); Hangfire's blind retries would only repeat them.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int incidentId, CancellationToken cancellationToken)
    {
        var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == incidentId, cancellationToken);
        if (incident is null || incident.Status is IncidentStatus.Failed)
        {
            return;
        }

        var step = "create its channel";
        try
        {
            if (!incident.HasDedicatedChannel)
            {
                step = "join this channel";
                await JoinAsync(incident, cancellationToken);
                return;
            }

            if (incident.ChannelId is null)
            {
                await CreateChannelAsync(incident, cancellationToken);
            }

            step = "invite you";
            await InviteDeclarerAsync(incident, cancellationToken);
            step = "set the channel topic";
            await slack.Conversations.SetTopicAsync(new SetTopicRequest { Channel = incident.ChannelId!, Topic = Topic(incident) }, cancellationToken);
            step = "announce the incident";
            await AnnounceAsync(incident, cancellationToken);
            step = "link the channel here";
            await LinkAsync(incident, cancellationToken);
        }
        catch (Exception exception) when (exception is SlackApiException or SlackUnavailableException)
        {
            await ReportFailureAsync(incident, step, exception, cancellationToken);
        }
    }

    /// <summary>
    /// The name is recorded before Slack is asked, so a run that never learnt the outcome (a restart, a lost answer)
    /// finds the channel it created instead of opening a second one with a suffix.
    /// </summary>
    private async Task CreateChannelAsync(Incident incident, CancellationToken cancellationToken)
    {
        if (incident.ChannelName is { } tried && await ownChannels.FindAsync(tried, incident.Id, cancellationToken) is { } earlier)
        {
            await AdoptAsync(incident, earlier, cancellationToken);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            var name = ChannelNames.For(options.Value.ChannelPrefix, incident.DeclaredAt, incident.Title, attempt);
            incident.ChannelName = name;
            await db.SaveChangesAsync(cancellationToken);
            Conversation created;
            try
            {
                created = (await slack.Conversations.CreateAsync(new CreateConversationRequest { Name = name }, cancellationToken)).Channel;
            }
            catch (SlackApiException exception) when (exception.ErrorCode == "name_taken" && attempt < MaxNameAttempts)
            {
                continue;
            }
            catch (SlackUnavailableException)
            {
                // Slack may have created it before its answer was lost.
                var landed = await ownChannels.FindAsync(name, incident.Id, cancellationToken);
                if (landed is null)
                {
                    throw;
                }

                created = landed;
            }

            await AdoptAsync(incident, created, cancellationToken);
            return;
        }
    }

    private async Task AdoptAsync(Incident incident, Conversation channel, CancellationToken cancellationToken)
    {
        incident.ChannelId = channel.Id;
        incident.ChannelName = channel.Name ?? incident.ChannelName;
        incident.Status = IncidentStatus.Live;
        await db.SaveChangesAsync(cancellationToken);
        Log.Opened(logger, incident.Id, channel.Id);
    }

    private async Task InviteDeclarerAsync(Incident incident, CancellationToken cancellationToken)
    {
        try
        {
            await slack.Conversations.InviteAsync(new InviteRequest { Channel = incident.ChannelId!, Users = [incident.DeclaredByUserId] }, cancellationToken);
        }
        catch (SlackApiException exception) when (exception.ErrorCode is "already_in_channel" or "cant_invite_self")
        {
        }
    }

    private async Task AnnounceAsync(Incident incident, CancellationToken cancellationToken)
    {
        if (incident.AnnouncementTs is not null)
        {
            return;
        }

        var posted = await slack.Chat.PostMessageAsync(
            new PostMessageRequest
            {
                Channel = incident.ChannelId!,
                Text = IncidentAnnouncement.Text(incident, timelineOptions.Value),
                Blocks = IncidentAnnouncement.Blocks(incident, timelineOptions.Value),
                IdempotencyKey = $"incident-{incident.Id}-announcement",
                MayHaveLanded = true,
            },
            cancellationToken);
        incident.AnnouncementTs = posted.Ts;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Through the command's response_url: it can post in the channel where the command was typed even when the bot is not a member.</summary>
    private async Task LinkAsync(Incident incident, CancellationToken cancellationToken)
    {
        if (incident.LinkPosted || incident.ResponseUrl is null)
        {
            return;
        }

        await responses.RespondAsync(
            incident.ResponseUrl,
            new ResponseUrlMessage
            {
                ResponseType = ResponseTypes.InChannel,
                Text = $":rotating_light: <@{incident.DeclaredByUserId}> declared {incident.Reference} *{SlackText.Escape(incident.Title)}*. Follow it in <#{incident.ChannelId}>.",
            },
            cancellationToken);
        incident.LinkPosted = true;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task JoinAsync(Incident incident, CancellationToken cancellationToken)
    {
        try
        {
            await slack.Conversations.JoinAsync(new JoinRequest { Channel = incident.ChannelId! }, cancellationToken);
        }
        catch (SlackApiException exception) when (exception.ErrorCode is "method_not_supported_for_channel_type" or "channel_not_found")
        {
            // A private channel: the bot cannot invite itself, and without membership it sees no message here.
            await TellDeclarerAsync(incident, $"{incident.Reference} is declared, but I am not in this private channel, so I cannot record its timeline. Invite me with `/invite` and run `/incident start` again.", cancellationToken);
        }
    }

    private async Task ReportFailureAsync(Incident incident, string step, Exception exception, CancellationToken cancellationToken)
    {
        var code = exception is SlackApiException api ? api.ErrorCode : "Slack did not answer";
        Log.Failed(logger, exception, incident.Id, step);
        if (incident.ChannelId is null && incident.HasDedicatedChannel)
        {
            incident.Status = IncidentStatus.Failed;
            incident.FailureReason = $"Could not create its channel: {code}";
            await db.SaveChangesAsync(cancellationToken);
            await TellDeclarerAsync(incident, $":warning: I could not open a channel for {incident.Reference} *{SlackText.Escape(incident.Title)}* ({code}), so it was not declared. Try again, or ask an admin to check my permissions.", cancellationToken);
            return;
        }

        await TellDeclarerAsync(incident, $":warning: {incident.Reference} is open in <#{incident.ChannelId}>, but I could not {step} ({code}).", cancellationToken);
    }

    private async Task TellDeclarerAsync(Incident incident, string text, CancellationToken cancellationToken)
    {
        if (incident.ResponseUrl is null)
        {
            return;
        }

        try
        {
            await responses.RespondAsync(incident.ResponseUrl, new ResponseUrlMessage { Text = text }, cancellationToken);
        }
        catch (Exception exception) when (exception is SlackApiException or HttpRequestException or TaskCanceledException)
        {
            // The response_url expired (30 minutes, 5 uses): the log is all that is left.
            Log.CouldNotTell(logger, exception, incident.Id);
        }
    }

    private static string Topic(Incident incident)
    {
        var topic = $"{incident.Reference}: {incident.Title} · declared {incident.DeclaredAt:yyyy-MM-dd HH:mm} UTC";
        return topic.Length <= 250 ? topic : topic[..249] + "…";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Incident {IncidentId} opened channel {ChannelId}")]
        public static partial void Opened(ILogger logger, int incidentId, string channelId);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Incident {IncidentId}: could not {Step}")]
        public static partial void Failed(ILogger logger, Exception exception, int incidentId, string step);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Incident {IncidentId}: could not tell the declarer through the response_url")]
        public static partial void CouldNotTell(ILogger logger, Exception exception, int incidentId);
    }
}
