using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Http;

public enum SignatureCheck
{
    Valid,
    MissingHeaders,
    MalformedTimestamp,
    TimestampOutOfRange,
    MalformedSignature,
    Mismatch,
}

/// <summary>
/// Slack's request signing (slack-protocol.md §1): HMAC-SHA256 of <c>v0:{timestamp}:{raw body}</c> keyed with the
/// signing secret's UTF-8 bytes, compared in constant time, and a replay window applied in both directions.
/// </summary>
public sealed class SlackRequestVerifier(IOptions<SlackOptions> options, TimeProvider time)
{
    private const string Version = "v0";
    private const int SignatureHexLength = 64;
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public SignatureCheck Verify(ReadOnlySpan<byte> body, string? timestampHeader, string? signatureHeader)
    {
        var format = CheckFormat(timestampHeader, signatureHeader);
        if (format != SignatureCheck.Valid)
        {
            return format;
        }

        var timestamp = long.Parse(timestampHeader!, NumberStyles.None, CultureInfo.InvariantCulture);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - timestamp) > (long)options.Value.SignatureTolerance.TotalSeconds)
        {
            return SignatureCheck.TimestampOutOfRange;
        }

        var expected = Compute(options.Value.SigningSecret, timestampHeader!, body);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signatureHeader!), expected)
            ? SignatureCheck.Valid
            : SignatureCheck.Mismatch;
    }

    /// <summary>
    /// Whether the headers could be Slack's at all, from the headers alone: a timestamp of digits and <c>v0=</c> with 64
    /// hex digits. Checked before the body is read, so that a request that cannot be Slack's costs no body.
    /// </summary>
    public static SignatureCheck CheckFormat(string? timestampHeader, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader))
        {
            return SignatureCheck.MissingHeaders;
        }

        if (timestampHeader.Length > 18 || !timestampHeader.All(char.IsAsciiDigit))
        {
            return SignatureCheck.MalformedTimestamp;
        }

        return signatureHeader.Length == Version.Length + 1 + SignatureHexLength
            && signatureHeader.StartsWith(Version + "=", StringComparison.Ordinal)
            && signatureHeader.AsSpan(Version.Length + 1).ContainsAnyExcept(HexDigits) is false
                ? SignatureCheck.Valid
                : SignatureCheck.MalformedSignature;
    }

    /// <summary>The ASCII bytes of the expected header value, <c>v0=</c> and 64 lowercase hex digits.</summary>
    private static byte[] Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes($"{Version}:{timestamp}:");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        Span<byte> hash = stackalloc byte[32];
        hmac.GetHashAndReset(hash);
        return Encoding.ASCII.GetBytes(Version + "=" + Convert.ToHexStringLower(hash));
    }
}
