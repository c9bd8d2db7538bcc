namespace IncidentBot.Slack.WebApi;

/// <summary>A page of a cursor-paginated method.</summary>
public interface IPage<out TItem>
{
    IReadOnlyList<TItem> Items { get; }
    ResponseMetadata? ResponseMetadata { get; }
}

/// <summary>
/// Slack's cursor pagination (slack-protocol.md §7.4): follow <c>response_metadata.next_cursor</c> until it is empty.
/// A short page does not mean the end; a cursor that repeats does (a guard against a looping server).
/// </summary>
public static class SlackPagination
{
    public static async IAsyncEnumerable<TItem> EnumerateAsync<TItem>(
        Func<string?, CancellationToken, Task<IPage<TItem>>> fetchPage,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await fetchPage(cursor, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            cursor = page.ResponseMetadata?.NextCursor;
        }
        while (!string.IsNullOrEmpty(cursor) && seen.Add(cursor));
    }

    /// <summary>Every message of a channel's history, newest first, in pages of <paramref name="pageSize"/>.</summary>
    public static IAsyncEnumerable<HistoryMessage> AllHistoryAsync(
        this IConversationsApi conversations, HistoryRequest request, CancellationToken cancellationToken, int pageSize = 200) =>
        EnumerateAsync<HistoryMessage>(
            async (cursor, ct) => await conversations.HistoryAsync(request with { Cursor = cursor, Limit = request.Limit ?? pageSize }, ct),
            cancellationToken);

    /// <summary>A whole thread, the parent first, in pages of <paramref name="pageSize"/>.</summary>
    public static IAsyncEnumerable<HistoryMessage> AllRepliesAsync(
        this IConversationsApi conversations, RepliesRequest request, CancellationToken cancellationToken, int pageSize = 200) =>
        EnumerateAsync<HistoryMessage>(
            async (cursor, ct) => await conversations.RepliesAsync(request with { Cursor = cursor, Limit = request.Limit ?? pageSize }, ct),
            cancellationToken);
}
