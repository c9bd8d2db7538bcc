using System.Data.Common;
using Hangfire;
using IncidentBot.ExactlyOnce;
using IncidentBot.People;
using IncidentBot.Slack.Handling;
using IncidentBot.Slack.Payloads;
using IncidentBot.Storage;
using Microsoft.Extensions.Options;

namespace IncidentBot.Timeline.Capture;

/// <summary>
/// A section emoji on a message of a live incident's channel puts the message in that section, at the message's
/// own time (from its ts). Two people, one emoji: one entry. A message the bot never kept (posted before the
/// incident) is recorded at once and its text fetched by a job: nothing Slack was answered 200 for waits on Slack.
/// Like a captured message, it is one small write on the request path, committed with the concurrent requests' rows
/// (group commit) before Slack gets its 200: the person's reaction, the entry if the message is not in that section
/// yet, and the ask to show the capture on the message.
/// </summary>
internal sealed class AddEntryWhenReacted(
    IIncidentChannels incidents,
    EventLedger ledger,
    SlackRequestContext context,
    IOptions<TimelineOptions> options,
    CaptureAcknowledgements acknowledgements,
    IBackgroundJobClient jobs,
    PeopleDirectory people,
    TimeProvider time) : IEventHandler<ReactionAdded>
{
    public async Task HandleAsync(ReactionAdded reaction, CancellationToken cancellationToken)
    {
        if (context.IsFromThisBot || reaction.Item is not { Type: "message", Channel: { } channel, Ts: { } rawTs }
            || !SlackTs.TryParse(rawTs, out var ts) || options.Value.SectionFor(reaction.Reaction) is not { } section)
        {
            return;
        }

        var liveIncident = await incidents.LiveIncidentInAsync(channel, cancellationToken);
        if (liveIncident is not { } incidentId)
        {
            return;
        }

        var mark = new Mark(incidentId, section, channel, rawTs, ts.ToDateTimeOffset().UtcDateTime, reaction.Reaction, reaction.User, reaction.ItemUser, time.GetUtcNow().UtcDateTime);
        if (!await ledger.CommitOnceAsync(nameof(AddEntryWhenReacted), mark.WriteAsync, cancellationToken) || mark.Added is not { } added)
        {
            return;
        }

        // After the commit: nothing is announced or fetched that was not saved.
        acknowledgements.Drain();
        if (added.Pending)
        {
            jobs.Enqueue<FetchReactedMessageJob>(job => job.RunAsync(added.Id, CancellationToken.None));
        }

        await people.EnsureKnownAsync(added.AuthorUserId, cancellationToken);
    }

    private sealed record AddedEntry(long Id, bool Pending, string? AuthorUserId);

    /// <summary>The rows of one reaction; <see cref="Added"/> is the entry it made, if the message was not in the section yet.</summary>
    private sealed class Mark(
        int incidentId, TimelineSection section, string channelId, string ts, DateTime postedAt, string reaction, string userId, string? itemUserId, DateTime now)
    {
        public AddedEntry? Added { get; private set; }

        public async Task<bool> WriteAsync(GroupTransaction transaction)
        {
            // A batch that failed is written again one by one: only the last attempt's entry is the committed one.
            Added = null;
            var newReaction = await ExecuteAsync(transaction, """
                INSERT INTO "EntryReactions" ("IncidentId", "ChannelId", "MessageTs", "Reaction", "UserId")
                VALUES (@incidentId, @channelId, @ts, @reaction, @userId) ON CONFLICT DO NOTHING
                """) == 1;

            // The message's kept text and author if the bot has it, else pending (fetched after the commit). The unique
            // index on (incident, section, channel, ts) makes a second person's emoji add no second entry.
            var command = Command(transaction, """
                INSERT INTO "TimelineEntries" ("IncidentId", "Kind", "Section", "OccurredAt", "RecordedAt", "AuthorUserId", "Text",
                                               "SourceChannelId", "SourceTs", "Pending", "EchoPending", "Removed")
                SELECT @incidentId, @kind, @section, @postedAt, @now,
                       COALESCE((SELECT m."UserId" FROM "Messages" m WHERE m."ChannelId" = @channelId AND m."Ts" = @ts), @itemUserId),
                       COALESCE((SELECT m."Text" FROM "Messages" m WHERE m."ChannelId" = @channelId AND m."Ts" = @ts), ''),
                       @channelId, @ts,
                       NOT EXISTS (SELECT 1 FROM "Messages" m WHERE m."ChannelId" = @channelId AND m."Ts" = @ts), @no, @no
                WHERE @yes
                ON CONFLICT DO NOTHING
                RETURNING "Id", "Pending", "AuthorUserId"
                """);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                if (await reader.ReadAsync())
                {
                    Added = new AddedEntry(reader.GetInt64(0), reader.GetBoolean(1), await reader.IsDBNullAsync(2) ? null : reader.GetString(2));
                }
            }

            if (Added is not null)
            {
                await CaptureAcknowledgements.RequestAsync(transaction, channelId, ts, now);
            }

            return newReaction || Added is not null;
        }

        private Task<int> ExecuteAsync(GroupTransaction transaction, string sql) => Command(transaction, sql).ExecuteNonQueryAsync();

        private DbCommand Command(GroupTransaction transaction, string sql)
        {
            var command = transaction.Command(sql);
            command.AddParameter("incidentId", incidentId).AddParameter("kind", nameof(EntryKind.Message)).AddParameter("section", section.ToString())
                .AddParameter("channelId", channelId).AddParameter("ts", ts).AddParameter("postedAt", postedAt).AddParameter("now", now)
                .AddParameter("reaction", reaction).AddParameter("userId", userId).AddParameter("itemUserId", itemUserId)
                .AddParameter("yes", true).AddParameter("no", false);
            return command;
        }
    }
}
