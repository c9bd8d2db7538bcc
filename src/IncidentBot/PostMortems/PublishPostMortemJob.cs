using System.Text;
using System.Text.Json;
using Hangfire;
using IncidentBot.ExactlyOnce;
using IncidentBot.Storage;
using IncidentBot.Incidents;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.PostMortems;

/// <summary>
/// Compiles a closed incident's draft once, keeps it, and publishes it part by part: the Slack messages, the Markdown
/// file, the optional canvas, and a link in the incident channel. Each part is a write through the outbox, so retries
/// (Slack down, 429, 500, timeouts, restarts) never post a part twice, and the sweep never leaves one out.
/// </summary>
public sealed partial class PublishPostMortemJob(
    IncidentBotDbContext db,
    DraftCompiler compiler,
    PostMortemTemplate template,
    ISlackApiClient slack,
    SharedDraftFile sharedFile,
    Outbox outbox,
    IOptions<PostMortemsOptions> options,
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

        var postMortem = await db.PostMortems.FirstOrDefaultAsync(p => p.IncidentId == incidentId, cancellationToken)
                         ?? await CompileAsync(incidentId, cancellationToken);
        if (postMortem.PublishedAt is not null)
        {
            return;
        }

        var draft = JsonSerializer.Deserialize<PostMortemDraft>(postMortem.DraftJson)!;
        var messages = SlackDraftMessages.Build(postMortem.Markdown, draft.TitleLine);
        OutboxResult? first = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var channel = first?.ChannelId ?? options.Value.PostmortemChannel;
            var request = new PostMessageRequest { Channel = channel, Text = messages[i].Text, Blocks = messages[i].Blocks, UnfurlLinks = false };
            var posted = await outbox.OnceAsync(OutboxKey(incidentId, $"message-{i + 1}"), (attempt, ct) =>
                PostInDraftChannelAsync(incident, attempt.Tagged(request), ct),
                cancellationToken);
            first ??= posted;
        }

        await outbox.OnceAsync(OutboxKey(incidentId, "file"), async (attempt, ct) =>
        {
            // files.completeUploadExternal takes no idempotency key: an earlier share is recognised by what it left.
            if (attempt.MayHaveLanded && await sharedFile.FindAsync(first!.ChannelId!, first.SlackId!, FileName(draft), ct) is { } earlier)
            {
                return new OutboxResult(first.ChannelId, earlier);
            }

            var uploaded = await slack.Files.UploadAsync(
                new FileUploadRequest
                {
                    Filename = FileName(draft),
                    Title = $"Post-mortem draft: {draft.TitleLine}",
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
            await outbox.OnceAsync(OutboxKey(incidentId, "canvas"), async (_, ct) =>
            {
                var canvas = await slack.Canvases.CreateAsync(
                    new CreateCanvasRequest { Title = draft.TitleLine, Markdown = postMortem.Markdown, ChannelId = incident.ChannelId },
                    ct);
                return new OutboxResult(incident.ChannelId, canvas.CanvasId);
            }, cancellationToken);
        }

        if (incident.ChannelId is not null)
        {
            await outbox.OnceAsync(OutboxKey(incidentId, "link"), async (attempt, ct) =>
            {
                var permalink = await slack.Chat.GetPermalinkAsync(new GetPermalinkRequest { Channel = first!.ChannelId!, MessageTs = first.SlackId! }, ct);
                return Landed(await slack.Chat.PostMessageAsync(
                    attempt.Tagged(new PostMessageRequest
                    {
                        Channel = incident.ChannelId,
                        Text = $":memo: The post-mortem draft of {incident.Reference} is ready for review: <{permalink.Permalink}|{SlackText.Escape(draft.TitleLine)}>",
                    }),
                    ct));
            }, cancellationToken);
        }

        postMortem.PublishedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        Log.Published(logger, incidentId, messages.Count);
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

    public static string OutboxKey(int incidentId, string part) => $"postmortem/{incidentId}/{part}";

    /// <summary>The file name people download: postmortem-2017-09-20-consumer-app-outage.md (postmortem-2017-09-20-inc-42.md for a title of emoji).</summary>
    public static string FileName(PostMortemDraft draft) => $"postmortem-{draft.DeclaredAt:yyyy-MM-dd}-{ChannelNames.Slug(draft.Title, draft.Reference)}.md";

    private async Task<PostMortem> CompileAsync(int incidentId, CancellationToken cancellationToken)
    {
        var draft = await compiler.CompileAsync(incidentId, cancellationToken);
        var postMortem = new PostMortem
        {
            IncidentId = incidentId,
            Markdown = template.Render(draft),
            DraftJson = JsonSerializer.Serialize(draft),
            CompiledAt = time.GetUtcNow().UtcDateTime,
        };
        db.PostMortems.Add(postMortem);
        await db.SaveChangesAsync(cancellationToken);
        return postMortem;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Post-mortem draft of incident {IncidentId} published in {Messages} messages")]
        public static partial void Published(ILogger logger, int incidentId, int messages);

        [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Post-mortem draft of incident {IncidentId} cannot be posted in Incidents:PostmortemChannel ({ErrorCode}): invite the bot there or fix the setting")]
        public static partial void DraftChannelUnusable(ILogger logger, int incidentId, string errorCode);
    }
}
