using IncidentBot.Storage;

namespace IncidentBot.Timeline.Capture;

/// <summary>
/// PostgreSQL's group commit for message capture: what concurrent requests queued is written by one writer as ONE
/// statement over all of them (their values sent as arrays and unnested into rows), in its own implicit transaction,
/// and each request is answered once it has committed (<see cref="WriteBatcher{TWrite,TResult}"/>). A burst pays one
/// round trip, one commit and one run of the plan, where a statement per request paid all three for each message on
/// the same cores as the bot. The statement finds each message's live incident, records each event in the ledger and
/// keeps each message the ledger took. Nothing is
/// written for a message whose channel has no live incident, not even its ledger row; a repeated event id, or the
/// same message under another event id, writes no second copy (the keys refuse it, as on the one-request path).
/// No cache of live channels is asked: another replica may start or close an incident at any moment, and the
/// statement reads what is committed.
/// </summary>
internal sealed class MessageCaptureBatch : IAsyncDisposable
{
    private readonly IServiceScopeFactory _scopes;
    // A burst of 64 senders in one or two statements; a larger batch only makes its first request wait longer. One
    // writer: two or three writing at once measured no faster on the shared bench (2 cores, the server on them too).
    private const int MaxBatch = 128;

    private readonly WriteBatcher<Message, bool> _statement;
    private string? _sql;

    public MessageCaptureBatch(IServiceScopeFactory scopes, ILogger<MessageCaptureBatch> logger)
    {
        _scopes = scopes;
        _statement = new WriteBatcher<Message, bool>(WriteAsync, MaxBatch, "message capture", logger);
    }

    /// <summary>One message as its event carried it; <see cref="EventId"/> null when the delivery had none.</summary>
    public sealed record Message(string? EventId, string Consumer, DateTime ReceivedAt, string ChannelId, string Ts, string? ThreadTs, string? UserId, string Text, DateTime PostedAt);

    /// <summary>Returns once the message (or the decision to keep nothing) is committed.</summary>
    public Task CaptureAsync(Message message, CancellationToken cancellationToken) => _statement.WriteAsync(message, cancellationToken);

    public ValueTask DisposeAsync() => _statement.DisposeAsync();

    private async Task<bool[]> WriteAsync(IReadOnlyList<Message> messages)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentBotDbContext>();
        var incidents = scope.ServiceProvider.GetRequiredService<IIncidentChannels>();
        var sql = _sql ??= Sql(incidents);
        await db.RunCommandAsync(sql, async command =>
        {
            incidents.AddLiveIncidentParameters(command);
            command.AddParameter("@eventIds", Column(messages, m => m.EventId))
                .AddParameter("@consumers", Column(messages, m => m.Consumer))
                .AddParameter("@receivedAts", Column(messages, m => m.ReceivedAt))
                .AddParameter("@channelIds", Column(messages, m => m.ChannelId))
                .AddParameter("@tss", Column(messages, m => m.Ts))
                .AddParameter("@threadTss", Column(messages, m => m.ThreadTs))
                .AddParameter("@userIds", Column(messages, m => m.UserId))
                .AddParameter("@texts", Column(messages, m => m.Text))
                .AddParameter("@postedAts", Column(messages, m => m.PostedAt));
            return await command.ExecuteNonQueryAsync();
        }, CancellationToken.None);
        return new bool[messages.Count]; // Nothing to tell a request: the capture answers Slack the same either way.
    }

    /// <summary>
    /// The statement, the same for every batch: made once, with the live-incident question the Incidents capability
    /// asks. One consumer and one receipt time per row, so that one statement serves any mix (all are this handler's
    /// today). Rows go in key order: two replicas' batches holding the same keys (one delivery retried on each) then
    /// wait for each other instead of deadlocking.
    /// </summary>
    private static string Sql(IIncidentChannels incidents) =>
        $"""
            WITH input AS (
              SELECT * FROM unnest(@eventIds::text[], @consumers::text[], @receivedAts::timestamptz[], @channelIds::text[], @tss::text[],
                                   @threadTss::text[], @userIds::text[], @texts::text[], @postedAts::timestamptz[])
                AS i(event_id, consumer, received_at, channel_id, ts, thread_ts, user_id, text, posted_at)),
            found AS (
              SELECT input.*, live."Id" AS incident_id FROM input
              JOIN LATERAL ({incidents.LiveIncidentSqlOf("input.channel_id")}) AS live ON true),
            ledger AS (
              INSERT INTO "ProcessedEvents" ("EventId", "Consumer", "ReceivedAt")
              SELECT DISTINCT ON (event_id, consumer) event_id, consumer, received_at FROM found WHERE event_id IS NOT NULL
              ORDER BY event_id, consumer
              ON CONFLICT DO NOTHING RETURNING "EventId", "Consumer"),
            admitted AS (
              SELECT * FROM found
              WHERE event_id IS NULL OR EXISTS (SELECT 1 FROM ledger WHERE ledger."EventId" = found.event_id AND ledger."Consumer" = found.consumer))
            INSERT INTO "Messages" ("ChannelId", "Ts", "IncidentId", "ThreadTs", "UserId", "Text", "PostedAt")
            SELECT channel_id, ts, incident_id, thread_ts, user_id, text, posted_at FROM admitted ORDER BY channel_id, ts
            ON CONFLICT DO NOTHING
            """;

    private static TValue[] Column<TValue>(IReadOnlyList<Message> messages, Func<Message, TValue> value)
    {
        var column = new TValue[messages.Count];
        for (var i = 0; i < column.Length; i++)
        {
            column[i] = value(messages[i]);
        }

        return column;
    }
}
