using System.Text;
using System.Text.Json;
using Hangfire;
using IncidentBot.Storage;
using IncidentBot.Incidents;
using IncidentBot.Slack.Payloads;
using IncidentBot.Slack.WebApi;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IncidentBot.PostMortems;

/// <summary>
/// Compiles a closed incident's draft once, keeps it, and publishes it part by part: the Slack messages, the Markdown
/// file, the optional canvas, and a link in the incident channel. Each part is recorded the moment it lands and posts
/// carry an idempotency key, so retries (Slack down, 429, 500, timeouts, restarts) never post a part twice and the
/// recovery at start never leaves one out.
/// </summary>
public sealed partial class PublishPostMortemJob(
    IncidentBotDbContext db,
    DraftCompiler compiler,
    PostMortemTemplate template,
    ISlackApiClient slack,
    SharedDraftFile sharedFile,
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
        var parts = await db.PublishedParts.Where(p => p.IncidentId == incidentId).ToDictionaryAsync(p => p.Part, cancellationToken);
        var messages = SlackDraftMessages.Build(draft);
        for (var i = 0; i < messages.Count; i++)
        {
            var request = new PostMessageRequest
            {
                Channel = parts.GetValueOrDefault("message-1")?.ChannelId ?? options.Value.PostmortemChannel,
                Text = messages[i].Text,
                Blocks = messages[i].Blocks,
                UnfurlLinks = false,
                IdempotencyKey = $"incident-{incidentId}-postmortem-{i + 1}",
                MayHaveLanded = true,
            };
            await PublishOnceAsync(parts, incidentId, $"message-{i + 1}", async () =>
            {
                var posted = await PostInDraftChannelAsync(incident, request, cancellationToken);
                return (posted.Channel, posted.Ts);
            }, cancellationToken);
        }

        var first = parts["message-1"];
        await PublishOnceAsync(parts, incidentId, "file", async () =>
        {
            if (await sharedFile.FindAsync(first.ChannelId!, first.SlackId!, FileName(draft), cancellationToken) is { } earlier)
            {
                return (first.ChannelId, earlier);
            }

            var uploaded = await slack.Files.UploadAsync(
                new FileUploadRequest
                {
                    Filename = FileName(draft),
                    Title = $"Post-mortem draft: {draft.TitleLine}",
                    Content = Encoding.UTF8.GetBytes(postMortem.Markdown),
                    ChannelId = first.ChannelId,
                    ThreadTs = first.SlackId,
                    InitialComment = "The whole draft, as Markdown, to edit and keep.",
                },
                cancellationToken);
            return (first.ChannelId, uploaded.Files.FirstOrDefault()?.Id);
        }, cancellationToken);

        if (options.Value.PostmortemCanvas)
        {
            await PublishOnceAsync(parts, incidentId, "canvas", async () =>
            {
                var canvas = await slack.Canvases.CreateAsync(
                    new CreateCanvasRequest { Title = draft.TitleLine, Markdown = postMortem.Markdown, ChannelId = incident.ChannelId },
                    cancellationToken);
                return (incident.ChannelId, canvas.CanvasId);
            }, cancellationToken);
        }

        if (incident.ChannelId is not null)
        {
            await PublishOnceAsync(parts, incidentId, "link", async () =>
            {
                var permalink = await slack.Chat.GetPermalinkAsync(new GetPermalinkRequest { Channel = first.ChannelId!, MessageTs = first.SlackId! }, cancellationToken);
                var posted = await slack.Chat.PostMessageAsync(
                    new PostMessageRequest
                    {
                        Channel = incident.ChannelId,
                        Text = $":memo: The post-mortem draft of {incident.Reference} is ready for review: <{permalink.Permalink}|{SlackText.Escape(draft.TitleLine)}>",
                        IdempotencyKey = $"incident-{incidentId}-postmortem-link",
                        MayHaveLanded = true,
                    },
                    cancellationToken);
                return (posted.Channel, posted.Ts);
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
    private async Task<PostMessageResponse> PostInDraftChannelAsync(Incident incident, PostMessageRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await slack.Chat.PostMessageAsync(request, cancellationToken);
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

            return await slack.Chat.PostMessageAsync(request, cancellationToken);
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

        await slack.Chat.PostMessageAsync(
            new PostMessageRequest
            {
                Channel = incident.ChannelId,
                Text = $":warning: The post-mortem draft of {incident.Reference} is compiled, but I cannot post it in the draft channel ({error}). " +
                       "Invite me there (or fix Incidents:PostmortemChannel) and I will post it; until then it is at /incidents/" +
                       $"{incident.Id}/postmortem.md on the bot's host.",
                IdempotencyKey = $"incident-{incident.Id}-postmortem-problem-{error}",
                MayHaveLanded = true,
            },
            cancellationToken);
    }

    /// <summary>The file name people download: postmortem-2017-09-20-consumer-app-outage.md.</summary>
    public static string FileName(PostMortemDraft draft) => $"postmortem-{draft.DeclaredAt:yyyy-MM-dd}-{ChannelNames.Slug(draft.Title)}.md";

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

    private async Task PublishOnceAsync(
        Dictionary<string, PublishedPart> parts, int incidentId, string part, Func<Task<(string? ChannelId, string? SlackId)>> publish, CancellationToken cancellationToken)
    {
        if (parts.ContainsKey(part))
        {
            return;
        }

        var (channelId, slackId) = await publish();
        var published = new PublishedPart { IncidentId = incidentId, Part = part, ChannelId = channelId, SlackId = slackId, PublishedAt = time.GetUtcNow().UtcDateTime };
        db.PublishedParts.Add(published);
        await db.SaveChangesAsync(cancellationToken);
        parts[part] = published;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Post-mortem draft of incident {IncidentId} published in {Messages} messages")]
        public static partial void Published(ILogger logger, int incidentId, int messages);

        [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Post-mortem draft of incident {IncidentId} cannot be posted in Incidents:PostmortemChannel ({ErrorCode}): invite the bot there or fix the setting")]
        public static partial void DraftChannelUnusable(ILogger logger, int incidentId, string errorCode);
    }
}
