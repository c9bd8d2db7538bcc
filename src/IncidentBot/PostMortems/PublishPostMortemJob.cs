using System.Text;
using System.Text.Json;
using Hangfire;
using IncidentBot.ExactlyOnce;
using IncidentBot.Storage;
using IncidentBot.Timeline;
using IncidentBot.Incidents;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.PostMortems;

/// <summary>
/// Compiles a closed incident's draft, keeps it as a version, and publishes it part by part: the Slack messages, the
/// Markdown file, the optional canvas, and a link in the incident channel; from version 2 on, the version before
/// is updated in place to say it is superseded. Each part of each version is a write through the outbox, so retries
/// (Slack down, 429, 500, timeouts, restarts) never post a part twice, and the sweep never leaves one out. A run
/// first finishes an unpublished version; when the latest is out, it compiles again and publishes a new version
/// only if the Markdown differs.
/// </summary>
public sealed partial class PublishPostMortemJob(
    IncidentBotDbContext db,
    DraftCompiler compiler,
    PostMortemTemplate template,
    ISlackApiClient slack,
    ChannelPostPacer pacer,
    SharedDraftFile sharedFile,
    Outbox outbox,
    IOptions<PostMortemsOptions> options,
    PostMortemMetrics metrics,
    TimeProvider time,
    ILogger<PublishPostMortemJob> logger)
{
    [AutomaticRetry(Attempts = 10)]
    public async Task RunAsync(int incidentId, CancellationToken cancellationToken)
    {
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == incidentId, cancellationToken);
        if (incident is not { Status: IncidentStatus.Closed })
        {
            return;
        }

        // A reopened incident's read-back of the channel goes into the draft: a close that came before it was done
        // waits for it (the sweep queues this job again, since the close is newer than the latest version).
        if (await db.Set<ChannelBackfill>().AnyAsync(b => b.IncidentId == incidentId && b.DoneAt == null, cancellationToken))
        {
            Log.WaitingForBackfill(logger, incidentId);
            return;
        }

        var latest = await db.PostMortems.LatestAsync(incidentId, cancellationToken);
        PostMortem postMortem;
        PostMortemDraft? draft = null;
        if (latest is null)
        {
            var compiled = await CompileAsync(incidentId, cancellationToken);
            (postMortem, draft) = (await AddVersionAsync(incidentId, 1, compiled, cancellationToken), compiled.Draft);
        }
        else if (latest.PublishedAt is null)
        {
            postMortem = latest;
            // A version compiled before a reopen is finished first, then this run goes on to the revision the new close owes.
            if (latest.CompiledAt < incident.ClosedAt)
            {
                await PublishAsync(incident, postMortem, null, cancellationToken);
                await RunAsync(incidentId, cancellationToken);
                return;
            }
        }
        else
        {
            var compiled = await CompileAsync(incidentId, cancellationToken);
            if (compiled.Markdown == latest.Markdown)
            {
                // Nothing to publish; the close (or request) that queued this run is answered.
                latest.CompiledAt = time.GetUtcNow().UtcDateTime;
                await db.SaveChangesAsync(cancellationToken);
                Log.NoChange(logger, incidentId, latest.Version);
                return;
            }

            (postMortem, draft) = (await AddVersionAsync(incidentId, latest.Version + 1, compiled, cancellationToken), compiled.Draft);
        }

        await PublishAsync(incident, postMortem, draft, cancellationToken);
    }

    /// <param name="compiled">The draft just compiled for this version; null when finishing one compiled earlier.</param>
    private async Task PublishAsync(Incident incident, PostMortem postMortem, PostMortemDraft? compiled, CancellationToken cancellationToken)
    {
        var (incidentId, version) = (incident.Id, postMortem.Version);
        // Read back from the version only when it was compiled by an earlier run: a huge draft's JSON is megabytes.
        var draft = compiled ?? JsonSerializer.Deserialize<PostMortemDraft>(postMortem.DraftJson)!;
        var messages = DraftVersionNotes.Label(SlackDraftMessages.Build(postMortem.Markdown, draft.TitleLine), version, supersededBy: null);
        OutboxResult? first = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var channel = first?.ChannelId ?? options.Value.PostmortemChannel;
            var request = new PostMessageRequest { Channel = channel, Text = messages[i].Text, Blocks = messages[i].Blocks, UnfurlLinks = false };
            // Paced: a huge draft is hundreds of messages into one channel (a part already out is not waited for).
            var posted = await outbox.OnceAsync(OutboxKey(incidentId, version, $"message-{i + 1}"), async (attempt, ct) =>
            {
                await pacer.WaitTurnAsync(channel, ct);
                return await PostInDraftChannelAsync(incident, attempt.Tagged(request), ct);
            }, cancellationToken);
            first ??= posted;
        }

        var fileName = FileName(draft, version);
        await outbox.OnceAsync(OutboxKey(incidentId, version, "file"), async (attempt, ct) =>
        {
            // files.completeUploadExternal takes no idempotency key: an earlier share is recognised by what it left.
            if (attempt.MayHaveLanded && await sharedFile.FindAsync(first!.ChannelId!, first.SlackId!, fileName, ct) is { } earlier)
            {
                return new OutboxResult(first.ChannelId, earlier);
            }

            var uploaded = await slack.Files.UploadAsync(
                new FileUploadRequest
                {
                    Filename = fileName,
                    Title = $"Post-mortem draft: {draft.TitleLine}{DraftVersionNotes.Suffix(version)}",
                    Content = Encoding.UTF8.GetBytes(postMortem.Markdown),
                    ChannelId = first!.ChannelId,
                    ThreadTs = first.SlackId,
                    InitialComment = "The whole draft, as Markdown, to edit and keep.",
                },
                ct);
            return new OutboxResult(first.ChannelId, uploaded.Files.FirstOrDefault()?.Id);
        }, cancellationToken);

        if (options.Value.PostmortemCanvas)
        {
            await outbox.OnceAsync(OutboxKey(incidentId, version, "canvas"), async (_, ct) =>
            {
                var canvas = await slack.Canvases.CreateAsync(
                    new CreateCanvasRequest { Title = draft.TitleLine + DraftVersionNotes.Suffix(version), Markdown = postMortem.Markdown, ChannelId = incident.ChannelId },
                    ct);
                return new OutboxResult(incident.ChannelId, canvas.CanvasId);
            }, cancellationToken);
        }

        if (incident.ChannelId is not null)
        {
            await outbox.OnceAsync(OutboxKey(incidentId, version, "link"), async (attempt, ct) =>
            {
                var permalink = await slack.Chat.GetPermalinkAsync(new GetPermalinkRequest { Channel = first!.ChannelId!, MessageTs = first.SlackId! }, ct);
                var what = version == 1 ? "The post-mortem draft" : $"Version {version} of the post-mortem draft";
                return Landed(await slack.Chat.PostMessageAsync(
                    attempt.Tagged(new PostMessageRequest
                    {
                        Channel = incident.ChannelId,
                        Text = $":memo: {what} of {incident.Reference} is ready for review: <{permalink.Permalink}|{SlackText.Escape(draft.TitleLine)}>",
                    }),
                    ct));
            }, cancellationToken);
        }

        if (version > 1)
        {
            await SupersedeAsync(incidentId, version - 1, first!, cancellationToken);
        }

        postMortem.PublishedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        if (incident.ClosedAt is { } closedAt)
        {
            metrics.Published(postMortem.PublishedAt.Value - closedAt, version);
        }

        Log.Published(logger, incidentId, version, messages.Count);
    }

    /// <summary>
    /// The previous version's first message says, in place (chat.update), that it is superseded, with a link to the
    /// new one. Through the outbox like every other part: an update whose answer was lost is simply made again
    /// (it sets the same text).
    /// </summary>
    private async Task SupersedeAsync(int incidentId, int previous, OutboxResult newFirst, CancellationToken cancellationToken)
    {
        var old = await db.PostMortems.AsNoTracking().FirstOrDefaultAsync(p => p.IncidentId == incidentId && p.Version == previous, cancellationToken);
        var oldFirst = await outbox.SentAsync(OutboxKey(incidentId, previous, "message-1"), cancellationToken);
        if (old is null || oldFirst is not { ChannelId: { } channel, SlackId: { } ts })
        {
            return;
        }

        await outbox.OnceAsync(OutboxKey(incidentId, previous, "superseded"), async (_, ct) =>
        {
            var permalink = await slack.Chat.GetPermalinkAsync(new GetPermalinkRequest { Channel = newFirst.ChannelId!, MessageTs = newFirst.SlackId! }, ct);
            var draft = JsonSerializer.Deserialize<PostMortemDraft>(old.DraftJson)!;
            var message = DraftVersionNotes.Label(SlackDraftMessages.Build(old.Markdown, draft.TitleLine), previous, permalink.Permalink)[0];
            try
            {
                var updated = await slack.Chat.UpdateAsync(new UpdateMessageRequest { Channel = channel, Ts = ts, Text = message.Text, Blocks = message.Blocks }, ct);
                return new OutboxResult(updated.Channel, updated.Ts);
            }
            catch (SlackApiException refused) when (!SlackFailures.IsTransient(refused))
            {
                // The old draft is gone (deleted, its channel archived) or Slack will not let us edit it (another app's
                // post, an edit window): the new version stands, and it is logged, rather than left unpublished for ever.
                Log.NothingToSupersede(logger, incidentId, previous, refused.ErrorCode);
                return new OutboxResult(channel, null);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Posts in the draft channel; a bot that is not in it yet joins it (public channels) and posts again. A channel it
    /// cannot join (private, or gone) is explained once in the incident channel, and the job fails so that Hangfire
    /// retries: once someone invites the bot, the draft goes out.
    /// </summary>
    private async Task<OutboxResult> PostInDraftChannelAsync(Incident incident, PostMessageRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return Landed(await slack.Chat.PostMessageAsync(request, cancellationToken));
        }
        catch (SlackApiException notIn) when (notIn.ErrorCode == "not_in_channel")
        {
            try
            {
                await slack.Conversations.JoinAsync(new JoinRequest { Channel = request.Channel }, cancellationToken);
            }
            catch (SlackApiException cannotJoin) when (cannotJoin.ErrorCode is "method_not_supported_for_channel_type" or "channel_not_found" or "is_archived")
            {
                await ExplainAsync(incident, notIn.ErrorCode, cancellationToken);
                throw;
            }

            return Landed(await slack.Chat.PostMessageAsync(request, cancellationToken));
        }
        catch (SlackApiException unusable) when (unusable.ErrorCode is "channel_not_found" or "is_archived")
        {
            await ExplainAsync(incident, unusable.ErrorCode, cancellationToken);
            throw;
        }
    }

    private async Task ExplainAsync(Incident incident, string error, CancellationToken cancellationToken)
    {
        Log.DraftChannelUnusable(logger, incident.Id, error);
        if (incident.ChannelId is null)
        {
            return;
        }

        await outbox.PostOnceAsync(
            OutboxKey(incident.Id, $"problem/{error}"),
            new PostMessageRequest
            {
                Channel = incident.ChannelId,
                Text = $":warning: The post-mortem draft of {incident.Reference} is compiled, but I cannot post it in the draft channel ({error}). " +
                       "Invite me there (or fix Incidents:PostmortemChannel) and I will post it; until then it is at /incidents/" +
                       $"{incident.Id}/postmortem.md on the bot's host.",
            },
            cancellationToken);
    }

    private static OutboxResult Landed(PostMessageResponse posted) => new(posted.Channel, posted.Ts);

    /// <summary>Version 1's keys (<c>postmortem/12/message-1</c>) are those drafts always had; later versions have their own (<c>postmortem/12/v2/message-1</c>).</summary>
    public static string OutboxKey(int incidentId, int version, string part) =>
        version == 1 ? OutboxKey(incidentId, part) : $"postmortem/{incidentId}/v{version}/{part}";

    public static string OutboxKey(int incidentId, string part) => $"postmortem/{incidentId}/{part}";

    /// <summary>
    /// The file name people download: postmortem-2017-09-20-consumer-app-outage.md (postmortem-2017-09-20-inc-42.md for
    /// a title of emoji), then -v2.md, -v3.md… for revised versions.
    /// </summary>
    public static string FileName(PostMortemDraft draft, int version = 1) =>
        $"postmortem-{draft.DeclaredAt:yyyy-MM-dd}-{ChannelNames.Slug(draft.Title, draft.Reference)}{(version == 1 ? "" : $"-v{version}")}.md";

    private async Task<(PostMortemDraft Draft, string Markdown, string DraftJson)> CompileAsync(int incidentId, CancellationToken cancellationToken)
    {
        var draft = await compiler.CompileAsync(incidentId, cancellationToken);
        return (draft, template.Render(draft), JsonSerializer.Serialize(draft));
    }

    /// <summary>Kept before any part goes out; two runs racing for the same version meet on the primary key, and the loser's retry finds it.</summary>
    private async Task<PostMortem> AddVersionAsync(int incidentId, int version, (PostMortemDraft Draft, string Markdown, string DraftJson) compiled, CancellationToken cancellationToken)
    {
        var postMortem = new PostMortem
        {
            IncidentId = incidentId,
            Version = version,
            Markdown = compiled.Markdown,
            DraftJson = compiled.DraftJson,
            CompiledAt = time.GetUtcNow().UtcDateTime,
        };
        db.PostMortems.Add(postMortem);
        await db.SaveChangesAsync(cancellationToken);
        return postMortem;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Post-mortem draft of incident {IncidentId} waits for the read-back of its reopened channel")]
        public static partial void WaitingForBackfill(ILogger logger, int incidentId);

        [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Post-mortem draft of incident {IncidentId}, version {Version}, published in {Messages} messages")]
        public static partial void Published(ILogger logger, int incidentId, int version, int messages);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Post-mortem draft of incident {IncidentId}: nothing changed since version {Version}; nothing published")]
        public static partial void NoChange(ILogger logger, int incidentId, int version);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Post-mortem draft of incident {IncidentId}: version {Version}'s first message cannot be marked superseded ({ErrorCode}); left as it is")]
        public static partial void NothingToSupersede(ILogger logger, int incidentId, int version, string errorCode);

        [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Post-mortem draft of incident {IncidentId} cannot be posted in Incidents:PostmortemChannel ({ErrorCode}): invite the bot there or fix the setting")]
        public static partial void DraftChannelUnusable(ILogger logger, int incidentId, string errorCode);
    }
}
