using System.Net;

namespace IncidentBot.Slack.WebApi;

/// <summary>
/// A request body that remembers whether any attempt began writing it. Until one has, Slack cannot have acted on the
/// call, whatever the last attempt failed with: a connection refused, or an attempt that timed out before it had a
/// connection (a loaded machine). Once one has, a later attempt refused outright does not make the outcome known.
/// </summary>
internal sealed class SentContent : HttpContent
{
    private readonly HttpContent _body;
    private volatile bool _written;

    public SentContent(HttpContent body)
    {
        _body = body;
        foreach (var header in body.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>Whether some attempt started sending the body, so that Slack may have received it.</summary>
    public bool MayHaveReachedSlack => _written;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _written = true;
        return _body.CopyToAsync(stream, context, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
        }

        base.Dispose(disposing);
    }
}
