using System.Text;

namespace IncidentBot.Slack.Http;

/// <summary>The raw body of a verified Slack request: parsed from these exact bytes, never re-read.</summary>
public sealed record SlackRequestBody(byte[] Bytes)
{
    public string AsString() => Encoding.UTF8.GetString(Bytes);
}

/// <summary>
/// Guards every <c>/slack</c> endpoint, cheapest test first, so that a stranger costs as little as possible: a body
/// claimed over the limit gets 413 and headers that cannot be Slack's 401 before a byte of the body is read; only then
/// is the body read (in bounded chunks, never what <c>Content-Length</c> claims up front) and the signature checked.
/// Slack's <c>ssl_check</c> probe is answered 200 before anything is parsed. Nothing refused is parsed or handled.
/// </summary>
public sealed partial class SlackSignatureFilter(SlackRequestVerifier verifier, ILogger<SlackSignatureFilter> logger) : IEndpointFilter
{
    /// <summary>The limit when the server sets none: Slack's payloads are far smaller (a view is at most 250 kB).</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>Slack's <c>ssl_check</c> form is a few dozen bytes; an unsigned request is read no further than this.</summary>
    private const int SslCheckMaxBytes = 512;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        // The server's limit (Http:MaxRequestBodyBytes), so that one setting governs both.
        var limit = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? DefaultMaxBodyBytes;
        if (request.ContentLength > limit)
        {
            Log.TooLarge(logger, request.Path, limit);
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var timestamp = request.Headers["X-Slack-Request-Timestamp"].ToString();
        var signature = request.Headers["X-Slack-Signature"].ToString();
        var headers = SlackRequestVerifier.CheckFormat(timestamp, signature);
        if (headers != SignatureCheck.Valid)
        {
            // Slack's TLS probe of a command URL comes unsigned: the only unsigned request whose body is looked at, and only its first bytes.
            if (IsCommands(request) && request.ContentLength is null or <= SslCheckMaxBytes
                && await SlackBodyReader.ReadAsync(request, SslCheckMaxBytes, http.RequestAborted) is { } probe && IsSslCheck(probe))
            {
                return Results.Ok();
            }

            Log.Rejected(logger, request.Path, headers);
            return Results.Unauthorized();
        }

        var body = await SlackBodyReader.ReadAsync(request, limit, http.RequestAborted);
        if (body is null)
        {
            Log.TooLarge(logger, request.Path, limit);
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (IsCommands(request) && IsSslCheck(body))
        {
            // The probe signed, as Slack may send it: still 200 with an empty body and nothing else (slack-protocol.md §1.2).
            return Results.Ok();
        }

        var check = verifier.Verify(body, timestamp, signature);
        if (check != SignatureCheck.Valid)
        {
            Log.Rejected(logger, request.Path, check);
            return Results.Unauthorized();
        }

        http.Features.Set(new SlackRequestBody(body));
        return await next(context);
    }

    private static bool IsCommands(HttpRequest request) => request.Path.Value?.EndsWith("/commands", StringComparison.Ordinal) == true;

    private static bool IsSslCheck(byte[] body) =>
        body.Length <= SslCheckMaxBytes
        && Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).TryGetValue("ssl_check", out var value)
        && value == "1";

    private static partial class Log
    {
        [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Refused a Slack request to {Path}: {Reason}")]
        public static partial void Rejected(ILogger logger, string path, SignatureCheck reason);

        [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Refused a Slack request to {Path}: body over {Limit} bytes")]
        public static partial void TooLarge(ILogger logger, string path, long limit);
    }
}
