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
/// yet, and the ask to show the capture on the message. On PostgreSQL the same rows are one statement, which finds the
/// live incident itself (see <see cref="EventLedger.CommitOnceInOneStatementAsync"/>).
/// </summary>
internal sealed class AddEntryWhenReacted(
    IIncidentChannels incidents,
    EventLedger ledger,
    SlackRequestContext context,
    IOptions<TimelineOptions> options,
    CaptureAcknowledgements acknowledgements,
    IBackgroundJobClient jobs,
    PeopleDirectory people,
    TimeProvider time,
    DatabaseLocation database) : IEventHandler<ReactionAdded>
{
    public async Task HandleAsync(ReactionAdded reaction, CancellationToken cancellationToken)
    {
        if (context.IsFromThisBot || reaction.Item is not { Type: "message", Channel: { } channel, Ts: { } rawTs }
            || !SlackTs.TryParse(rawTs, out var ts) || options.Value.SectionFor(reaction.Reaction) is not { } section)
        {
            return;
        }

        var postedAt = ts.ToDateTimeOffset().UtcDateTime;
        var now = time.GetUtcNow().UtcDateTime;
        AddedEntry? added;
        if (database.IsPostgreSql)
        {
            var mark = new Mark(null, section, channel, rawTs, postedAt, reaction.Reaction, reaction.User, reaction.ItemUser, now);
            var (newEvent, (newReaction, entry)) = await ledger.CommitOnceInOneStatementAsync(
                nameof(AddEntryWhenReacted), new EventLedger.OneStatement(incidents.LiveIncidentSql, Mark.EffectsOnPostgreSql, Mark.ResultsOnPostgreSql),
                command => incidents.AddLiveIncidentParameters(mark.AddParameters(command)), Mark.ReadOnPostgreSql, cancellationToken);
            added = (newEvent ?? (newReaction || entry is not null)) ? entry : null;
        }
        else
        {
            if (await incidents.LiveIncidentInAsync(channel, cancellationToken) is not { } incidentId)
            {
                return;
            }

            var mark = new Mark(incidentId, section, channel, rawTs, postedAt, reaction.Reaction, reaction.User, reaction.ItemUser, now);
            added = await ledger.CommitOnceAsync(nameof(AddEntryWhenReacted), mark.WriteAsync, cancellationToken) ? mark.Added : null;
        }

        if (added is null)
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
        int? incidentId, TimelineSection section, string channelId, string ts, DateTime postedAt, string reaction, string userId, string? itemUserId, DateTime now)
    {
        // Where the incident's id comes from: on SQLite the caller knows it (the cache); on PostgreSQL the statement's
        // own "admitted" row. The WHERE also keeps SQLite from reading the ON CONFLICT as part of the SELECT.
        private const string KnownIncident = """FROM (SELECT @incidentId AS "Id") AS admitted WHERE @yes""";
        private const string AdmittedIncident = """FROM admitted WHERE @yes""";

        private static string ReactionSql(string incident) => $"""
            INSERT INTO "EntryReactions" ("IncidentId", "ChannelId", "MessageTs", "Reaction", "UserId")
            SELECT admitted."Id", @channelId, @ts, @reaction, @userId {incident} ON CONFLICT DO NOTHING
            """;

        // The message's kept text and author if the bot has it, else pending (fetched after the commit). The unique
        // index on (incident, section, channel, ts) makes a second person's emoji add no second entry.
        private static string EntrySql(string incident) => $"""
            INSERT INTO "TimelineEntries" ("IncidentId", "Kind", "Section", "OccurredAt", "RecordedAt", "AuthorUserId", "Text",
                                           "SourceChannelId", "SourceTs", "Pending", "EchoPending", "Removed")
            SELECT admitted."Id", @kind, @section, @postedAt, @now,
                   COALESCE((SELECT m."UserId" FROM "Messages" m WHERE m."ChannelId" = @channelId AND m."Ts" = @ts), @itemUserId),
                   COALESCE((SELECT m."Text" FROM "Messages" m WHERE m."ChannelId" = @channelId AND m."Ts" = @ts), ''),
                   @channelId, @ts,
                   NOT EXISTS (SELECT 1 FROM "Messages" m WHERE m."ChannelId" = @channelId AND m."Ts" = @ts), @no, @no
            {incident}
            ON CONFLICT DO NOTHING
            RETURNING "Id", "Pending", "AuthorUserId"
            """;

        private static readonly string ReactionOnSqlite = ReactionSql(KnownIncident);

        private static readonly string EntryOnSqlite = EntrySql(KnownIncident);

        /// <summary>The same three rows as <see cref="WriteAsync"/>, as CTEs of one PostgreSQL statement.</summary>
        public static readonly string EffectsOnPostgreSql = $"""
            reaction AS ({ReactionSql(AdmittedIncident)} RETURNING 1),
            entry AS ({EntrySql(AdmittedIncident)}),
            ask AS ({CaptureAcknowledgements.AskSqlFor("entry")} RETURNING 1)
            """;

        public const string ResultsOnPostgreSql =
            """(SELECT count(*) FROM reaction)::int, (SELECT "Id" FROM entry), (SELECT "Pending" FROM entry), (SELECT "AuthorUserId" FROM entry)""";

        public static (bool NewReaction, AddedEntry? Entry) ReadOnPostgreSql(DbDataReader reader) =>
            (reader.GetInt32(1) == 1,
             reader.IsDBNull(2) ? null : new AddedEntry(reader.GetInt64(2), reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetString(4)));

        public AddedEntry? Added { get; private set; }

        public async Task<bool> WriteAsync(GroupTransaction transaction)
        {
            // A batch that failed is written again one by one: only the last attempt's entry is the committed one.
            Added = null;
            var newReaction = await AddParameters(transaction.Command(ReactionOnSqlite)).ExecuteNonQueryAsync() == 1;
            await using (var reader = await AddParameters(transaction.Command(EntryOnSqlite)).ExecuteReaderAsync())
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

        public DbCommand AddParameters(DbCommand command)
        {
            if (incidentId is { } id)
            {
                command.AddParameter("@incidentId", id);
            }

            command.AddParameter("@kind", nameof(EntryKind.Message)).AddParameter("@section", section.ToString())
                .AddParameter("@channelId", channelId).AddParameter("@ts", ts).AddParameter("@postedAt", postedAt).AddParameter("@now", now)
                .AddParameter("@reaction", reaction).AddParameter("@userId", userId).AddParameter("@itemUserId", itemUserId)
                .AddParameter("@yes", true).AddParameter("@no", false);
            return command;
        }
    }
}
