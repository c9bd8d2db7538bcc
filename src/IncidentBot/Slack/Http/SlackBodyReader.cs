using System.Buffers;

namespace IncidentBot.Slack.Http;

/// <summary>
/// Reads a request body for signing, in bounded chunks: the buffer grows with what actually arrives, never to what the
/// client's <c>Content-Length</c> claims, so that many connections each claiming a large body and sending a few bytes
/// cost a few bytes each.
/// </summary>
internal static class SlackBodyReader
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            using var buffer = new MemoryStream();
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
