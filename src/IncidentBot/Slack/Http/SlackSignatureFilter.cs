using System.Text;

namespace IncidentBot.Slack.Http;

/// <summary>The raw body of a verified Slack request: parsed from these exact bytes, never re-read.</summary>
public sealed record SlackRequestBody(byte[] Bytes)
{
    public string AsString() => Encoding.UTF8.GetString(Bytes);
}

/// <summary>
/// Guards every <c>/slack</c> endpoint: bodies over 1 MiB get 413, unsigned or badly signed requests 401,
/// and in both cases nothing is parsed or handled.
/// </summary>
public sealed partial class SlackSignatureFilter(SlackRequestVerifier verifier, ILogger<SlackSignatureFilter> logger) : IEndpointFilter
{
    public const int MaxBodyBytes = 1024 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var body = await ReadBodyAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            Log.TooLarge(logger, http.Request.Path);
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var check = verifier.Verify(body, http.Request.Headers["X-Slack-Request-Timestamp"], http.Request.Headers["X-Slack-Signature"]);
        if (check != SignatureCheck.Valid)
        {
            if (IsSslCheck(http.Request, body))
            {
                // Slack's TLS probe of a command URL: answer 200 and do nothing else (slack-protocol.md §1.2).
                return Results.Ok();
            }

            Log.Rejected(logger, http.Request.Path, check);
            return Results.Unauthorized();
        }

        http.Features.Set(new SlackRequestBody(body));
        return await next(context);
    }

    /// <summary>The whole body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is > 0 and var length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static bool IsSslCheck(HttpRequest request, byte[] body) =>
        request.Path.Value?.EndsWith("/commands", StringComparison.Ordinal) == true
        && body.Length < 512
        && Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).TryGetValue("ssl_check", out var value)
        && value == "1";

    private static partial class Log
    {
        [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Refused a Slack request to {Path}: {Reason}")]
        public static partial void Rejected(ILogger logger, string path, SignatureCheck reason);

        [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Refused a Slack request to {Path}: body over 1 MiB")]
        public static partial void TooLarge(ILogger logger, string path);
    }
}
