using Hangfire;
using IncidentBot.ExactlyOnce;
using IncidentBot.Incidents.Card;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents.Jobs;

/// <summary>
/// Opens a declared incident's channel after the command was acknowledged: create it (a suffix when the name is
/// taken), invite the declarer, set the topic, post and pin the incident card (and the stakeholders' card), and link it
/// where the command was typed. An incident declared in place gets its cards once the bot has joined its channel. Each step is a
/// write through the outbox, so a rerun (a retry, the sweep, a restart) resumes instead of repeating. Slack's final
/// refusals are told to the declarer; passing trouble (5xx, timeouts, rate limits) is retried and never fails the
/// incident.
/// </summary>
public sealed partial class OpenIncidentChannelJob(
    IncidentBotDbContext db,
    ISlackApiClient slack,
    IResponseUrlClient responses,
    OwnChannelLookup ownChannels,
    Outbox outbox,
    IncidentCards cards,
    IOptions<IncidentsOptions> options,
    ILogger<OpenIncidentChannelJob> logger)
{
    private const int MaxNameAttempts = 20;

    public static string OutboxKey(int incidentId, string step) => $"incident/{incidentId}/{step}";

    /// <summary>
    /// The writes that open an incident with its own channel, in order: what <see cref="RunAsync"/> makes and what the
    /// sweep checks, from this one list.
    /// </summary>
    public static IReadOnlyList<string> Steps(Incident incident, bool toStakeholders) =>
        [Channel, Invite, Topic, Announcement, Pin, .. toStakeholders ? [Stakeholders] : Array.Empty<string>(), .. incident.OriginMessageTs is null ? Array.Empty<string>() : [Origin], .. incident.ResponseUrl is null ? Array.Empty<string>() : [Link]];

    /// <summary>The outbox key of each step (the card's keys are the card's own).</summary>
    public static string StepKey(int incidentId, string step) => step switch
    {
        Announcement => IncidentCards.CardKey(incidentId),
        Pin => IncidentCards.PinKey(incidentId),
        Stakeholders => IncidentCards.StakeholderKey(incidentId),
        _ => OutboxKey(incidentId, step),
    };

    private const string Channel = "channel";
    private const string Invite = "invite";
    private const string Topic = "topic";
    private const string Announcement = "announcement";
    private const string Link = "link";
    private const string Origin = "origin";
    private const string Pin = "pin";
    private const string Stakeholders = "stakeholders";

    [AutomaticRetry(Attempts = 5)]
    public async Task RunAsync(int incidentId, CancellationToken cancellationToken)
    {
        var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == incidentId, cancellationToken);
        if (incident is null || incident.Status is IncidentStatus.Failed)
        {
            return;
        }

        var step = Channel;
        try
        {
            if (!incident.HasDedicatedChannel)
            {
                if (await JoinAsync(incident, cancellationToken))
                {
                    step = Announcement;
                    await cards.PostAsync(incident, cancellationToken);
                    step = Pin;
                    await cards.PinAsync(incident, cancellationToken);
                    step = Stakeholders;
                    await cards.PostToStakeholdersAsync(incident, cancellationToken);
                }

                return;
            }

            foreach (var next in Steps(incident, cards.StakeholderChannel(incident) is not null))
            {
                step = next;
                await (step switch
                {
                    Channel => incident.ChannelId is null ? CreateChannelAsync(incident, cancellationToken) : Task.CompletedTask,
                    Invite => InviteDeclarerAsync(incident, cancellationToken),
                    Topic => SetTopicAsync(incident, cancellationToken),
                    Announcement => cards.PostAsync(incident, cancellationToken),
                    Pin => cards.PinAsync(incident, cancellationToken),
                    Stakeholders => cards.PostToStakeholdersAsync(incident, cancellationToken),
                    Origin => LinkOriginAsync(incident, cancellationToken),
                    _ => LinkAsync(incident, cancellationToken),
                });
            }
        }
        catch (Exception exception) when (SlackFailures.IsTransient(exception))
        {
            // Slack's passing trouble: Hangfire retries, and after its retries the sweep. The declarer hears once.
            Log.Delayed(logger, exception, incident.Id, Describe(step));
            if (incident.ChannelId is null)
            {
                await TellDeclarerOnceAsync(incident, "delayed", $":hourglass: {incident.Reference} is declared, but Slack is not answering, so its channel is not open yet. I keep trying; you will be invited.", cancellationToken);
            }

            throw;
        }
        catch (SlackApiException exception)
        {
            await ReportFailureAsync(incident, Describe(step), exception, cancellationToken);
        }
    }

    private static string Describe(string step) => step switch
    {
        Channel => "create its channel",
        Invite => "invite you",
        Topic => "set the channel topic",
        Announcement => "post the incident card",
        Pin => "pin the incident card",
        Stakeholders => "post the incident card in the announcements channel",
        Origin => "link the message it was declared from",
        _ => "link the channel here",
    };

    /// <summary>
    /// The name is recorded before Slack is asked, so a run that never learnt the outcome (a restart, a lost answer)
    /// finds the channel it created instead of opening a second one with a suffix.
    /// </summary>
    private async Task CreateChannelAsync(Incident incident, CancellationToken cancellationToken)
    {
        var created = await outbox.OnceAsync(OutboxKey(incident.Id, Channel), async (attempt, ct) =>
        {
            if (attempt.MayHaveLanded && incident.ChannelName is { } tried && await ownChannels.FindAsync(tried, incident.Id, ct) is { } earlier)
            {
                return new OutboxResult(earlier.Id, earlier.Name);
            }

            var channel = await CreateUnderFreeNameAsync(incident, ct);
            return new OutboxResult(channel.Id, channel.Name);
        }, cancellationToken);

        incident.ChannelId = created.ChannelId;
        incident.ChannelName = created.SlackId ?? incident.ChannelName;
        incident.Status = IncidentStatus.Live;
        await db.SaveChangesAsync(cancellationToken);
        Log.Opened(logger, incident.Id, incident.ChannelId!);
    }

    private async Task<Conversation> CreateUnderFreeNameAsync(Incident incident, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var name = ChannelNames.For(options.Value.ChannelPrefix, incident.DeclaredAt, incident.Title, incident.Reference, attempt);
            incident.ChannelName = name;
            await db.SaveChangesAsync(cancellationToken);
            try
            {
                return (await slack.Conversations.CreateAsync(new CreateConversationRequest { Name = name, IsPrivate = incident.IsPrivate }, cancellationToken)).Channel;
            }
            catch (SlackApiException exception) when (exception.ErrorCode == "name_taken" && attempt < MaxNameAttempts)
            {
            }
            catch (SlackUnavailableException)
            {
                // Slack may have created it before its answer was lost.
                if (await ownChannels.FindAsync(name, incident.Id, cancellationToken) is { } landed)
                {
                    return landed;
                }

                throw;
            }
        }
    }

    /// <summary>
    /// Slack's final refusal of the invite (a guest declarer, say) or of the topic is told once and does not hold up the
    /// announcement: they are conveniences, and a job that can never finish would be retried for ever.
    /// </summary>
    private Task InviteDeclarerAsync(Incident incident, CancellationToken cancellationToken) =>
        outbox.OnceAsync(OutboxKey(incident.Id, Invite), async (_, ct) =>
        {
            try
            {
                await slack.Conversations.InviteAsync(new InviteRequest { Channel = incident.ChannelId!, Users = [.. new[] { incident.DeclaredByUserId, incident.LeaderUserId }.Distinct()] }, ct);
            }
            catch (SlackApiException exception) when (exception.ErrorCode is "already_in_channel" or "cant_invite_self")
            {
            }
            catch (SlackApiException refused) when (!SlackFailures.IsTransient(refused))
            {
                await ReportFailureAsync(incident, Describe(Invite), refused, ct);
            }

            return new OutboxResult(incident.ChannelId, null);
        }, cancellationToken);

    private Task SetTopicAsync(Incident incident, CancellationToken cancellationToken) =>
        outbox.OnceAsync(OutboxKey(incident.Id, Topic), async (_, ct) =>
        {
            try
            {
                await slack.Conversations.SetTopicAsync(new SetTopicRequest { Channel = incident.ChannelId!, Topic = IncidentTopic.Live(incident) }, ct);
            }
            catch (SlackApiException refused) when (!SlackFailures.IsTransient(refused))
            {
                await ReportFailureAsync(incident, Describe(Topic), refused, ct);
            }

            return new OutboxResult(incident.ChannelId, null);
        }, cancellationToken);

    /// <summary>
    /// Through the command's response_url: it can post in the channel where the command was typed even when the bot is
    /// not a member. Slack keeps no trace to look for, so a link whose answer was lost may, rarely, show twice.
    /// </summary>
    private async Task LinkAsync(Incident incident, CancellationToken cancellationToken)
    {
        if (incident.ResponseUrl is not { } responseUrl)
        {
            return;
        }

        await outbox.OnceAsync(OutboxKey(incident.Id, Link), async (_, ct) =>
        {
            try
            {
                await responses.RespondAsync(
                    responseUrl,
                    new ResponseUrlMessage
                    {
                        ResponseType = ResponseTypes.InChannel,
                        Text = $":rotating_light: <@{incident.DeclaredByUserId}> declared {incident.Reference} *{SlackText.Escape(incident.Title)}*. Follow it in <#{incident.ChannelId}>.",
                    },
                    ct);
            }
            catch (SlackApiException expired) when (!SlackFailures.IsTransient(expired))
            {
                // The response_url is spent (30 minutes, 5 uses) and never will work again; the declarer is in the
                // channel already, so the link is given up rather than retried for ever.
                Log.LinkLost(logger, expired, incident.Id);
            }

            return new OutboxResult(incident.OriginChannelId, null);
        }, cancellationToken);
    }

    /// <summary>Declared from a message: the incident channel links back to it, where the conversation started.</summary>
    private async Task LinkOriginAsync(Incident incident, CancellationToken cancellationToken)
    {
        var permalink = await slack.Chat.GetPermalinkAsync(new GetPermalinkRequest { Channel = incident.OriginChannelId, MessageTs = incident.OriginMessageTs! }, cancellationToken);
        await outbox.PostOnceAsync(
            OutboxKey(incident.Id, Origin),
            new PostMessageRequest
            {
                Channel = incident.ChannelId!,
                Text = $":link: {incident.Reference} was declared from <{permalink.Permalink}|this message> in <#{incident.OriginChannelId}>; it is the first entry on the timeline.",
            },
            cancellationToken);
    }

    /// <summary>True once the bot is in the incident's channel.</summary>
    private async Task<bool> JoinAsync(Incident incident, CancellationToken cancellationToken)
    {
        try
        {
            await slack.Conversations.JoinAsync(new JoinRequest { Channel = incident.ChannelId! }, cancellationToken);
            return true;
        }
        catch (SlackApiException exception) when (exception.ErrorCode is "method_not_supported_for_channel_type" or "channel_not_found")
        {
            // A private channel: the bot cannot invite itself, and without membership it sees no message here.
            await TellDeclarerOnceAsync(incident, "not-in-private-channel", $"{incident.Reference} is declared, but I am not in this private channel, so I cannot record its timeline. Invite me with `/invite` and run `/incident start` again.", cancellationToken);
        }
        catch (SlackApiException refused) when (!SlackFailures.IsTransient(refused))
        {
            await ReportFailureAsync(incident, "join this channel", refused, cancellationToken);
        }

        return false;
    }

    private async Task ReportFailureAsync(Incident incident, string step, SlackApiException exception, CancellationToken cancellationToken)
    {
        Log.Failed(logger, exception, incident.Id, step);
        if (incident.ChannelId is null && incident.HasDedicatedChannel)
        {
            incident.Status = IncidentStatus.Failed;
            incident.FailureReason = $"Could not create its channel: {exception.ErrorCode}";
            await db.SaveChangesAsync(cancellationToken);
            await TellDeclarerOnceAsync(incident, "failed", $":warning: I could not open a channel for {incident.Reference} *{SlackText.Escape(incident.Title)}* ({exception.ErrorCode}), so it was not declared. Try again, or ask an admin to check my permissions.", cancellationToken);
            return;
        }

        await TellDeclarerOnceAsync(incident, $"could-not/{step}/{exception.ErrorCode}", $":warning: {incident.Reference} is open in <#{incident.ChannelId}>, but I could not {step} ({exception.ErrorCode}).", cancellationToken);
    }

    /// <summary>Each thing the declarer needs to hear is said once, however often the job runs into it.</summary>
    private async Task TellDeclarerOnceAsync(Incident incident, string what, string text, CancellationToken cancellationToken)
    {
        if (incident.ResponseUrl is not { } responseUrl)
        {
            return;
        }

        try
        {
            await outbox.OnceAsync(OutboxKey(incident.Id, $"told/{what}"), async (_, ct) =>
            {
                await responses.RespondAsync(responseUrl, new ResponseUrlMessage { Text = text }, ct);
                return new OutboxResult(incident.OriginChannelId, null);
            }, cancellationToken);
        }
        catch (Exception exception) when (exception is SlackApiException or SlackUnavailableException or HttpRequestException or TaskCanceledException)
        {
            // The response_url expired (30 minutes, 5 uses): the log is all that is left.
            Log.CouldNotTell(logger, exception, incident.Id);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Incident {IncidentId} opened channel {ChannelId}")]
        public static partial void Opened(ILogger logger, int incidentId, string channelId);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Incident {IncidentId}: could not {Step}")]
        public static partial void Failed(ILogger logger, Exception exception, int incidentId, string step);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Incident {IncidentId}: could not tell the declarer through the response_url")]
        public static partial void CouldNotTell(ILogger logger, Exception exception, int incidentId);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Incident {IncidentId}: the declaring command's response_url no longer works; the link to the channel is not posted where it was declared")]
        public static partial void LinkLost(ILogger logger, Exception exception, int incidentId);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Incident {IncidentId}: could not {Step} yet (Slack's passing trouble); it will be tried again")]
        public static partial void Delayed(ILogger logger, Exception exception, int incidentId, string step);
    }
}
