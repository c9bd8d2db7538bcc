using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// Signs a request body as Slack does (slack-protocol.md §1.2): <c>v0=</c> + lowercase hex
/// HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>, keyed with the signing secret's UTF-8 bytes
/// (not hex-decoded, although it looks like hex).
/// </summary>
public sealed class SlackRequestSigner(string signingSecret)
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    public string Sign(string body, long timestamp)
    {
        var baseString = string.Create(CultureInfo.InvariantCulture, $"v0:{timestamp}:{body}");
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), Encoding.UTF8.GetBytes(baseString));
        return "v0=" + Convert.ToHexStringLower(hash);
    }
}
