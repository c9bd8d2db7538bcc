using System.Security.Cryptography;
using System.Text;
using IncidentBot.Slack;
using IncidentBot.Slack.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Slack.Http;

public sealed class SlackRequestVerifierTests
{
    // Slack's published example (slack-protocol.md §1.3).
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const long Timestamp = 1531420618;
    private const string Body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string Signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static SlackRequestVerifier Verifier(long now, string secret = Secret) =>
        new(Options.Create(new SlackOptions { SigningSecret = secret, BotToken = "xoxb-x" }),
            new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(now)));

    private static SignatureCheck Check(SlackRequestVerifier verifier, string body, string? timestamp, string? signature) =>
        verifier.Verify(Encoding.UTF8.GetBytes(body), timestamp, signature);

    [Fact]
    public void Slacks_published_example_is_valid()
    {
        Assert.Equal(SignatureCheck.Valid, Check(Verifier(Timestamp + 10), Body, "1531420618", Signature));
    }

    [Theory]
    [InlineData("{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}", "v0=f9bd80929259f3f6d5fe3a3186c453c89cd1ad4862815a15837584f31c993652")]
    [InlineData("payload=%7B%22type%22%3A%22block_actions%22%7D", "v0=9dffc25b49a4a7fc2e15c9c9450bf8af09eb501fcef9039eaea3deb58af0c82c")]
    [InlineData("", "v0=55f41ec73231010289b54e669149ea021fccab11b5524355523533ce930cb739")]
    public void Extra_vectors_from_the_protocol_notes_are_valid(string body, string signature)
    {
        Assert.Equal(SignatureCheck.Valid, Check(Verifier(Timestamp), body, "1531420618", signature));
    }

    [Fact]
    public void Tampered_body_is_refused()
    {
        var tampered = Body.Replace("text=&", "text=drop%20tables&", StringComparison.Ordinal);
        Assert.Equal(SignatureCheck.Mismatch, Check(Verifier(Timestamp), tampered, "1531420618", Signature));
    }

    [Fact]
    public void Wrong_secret_is_refused()
    {
        Assert.Equal(SignatureCheck.Mismatch, Check(Verifier(Timestamp, secret: "another-secret"), Body, "1531420618", Signature));
    }

    [Fact]
    public void Signature_of_another_timestamp_is_refused()
    {
        Assert.Equal(SignatureCheck.Mismatch, Check(Verifier(Timestamp), Body, "1531420619", Signature));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public void Timestamps_more_than_five_minutes_off_either_way_are_refused(long offsetSeconds)
    {
        // The clock is offset, not the request: a replayed (old) or a forged future request.
        Assert.Equal(SignatureCheck.TimestampOutOfRange, Check(Verifier(Timestamp - offsetSeconds), Body, "1531420618", Signature));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Timestamps_exactly_five_minutes_off_are_accepted(long offsetSeconds)
    {
        Assert.Equal(SignatureCheck.Valid, Check(Verifier(Timestamp - offsetSeconds), Body, "1531420618", Signature));
    }

    [Theory]
    [InlineData(null, Signature, SignatureCheck.MissingHeaders)]
    [InlineData("1531420618", null, SignatureCheck.MissingHeaders)]
    [InlineData("", "", SignatureCheck.MissingHeaders)]
    [InlineData("15314206l8", Signature, SignatureCheck.MalformedTimestamp)]
    [InlineData("-1531420618", Signature, SignatureCheck.MalformedTimestamp)]
    [InlineData("1531420618.5", Signature, SignatureCheck.MalformedTimestamp)]
    [InlineData("1531420618", "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", SignatureCheck.MalformedSignature)]
    [InlineData("1531420618", "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", SignatureCheck.MalformedSignature)]
    [InlineData("1531420618", "v0=a2114d57", SignatureCheck.MalformedSignature)]
    [InlineData("1531420618", "v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503", SignatureCheck.Mismatch)]
    public void Missing_or_malformed_headers_are_refused(string? timestamp, string? signature, SignatureCheck expected)
    {
        Assert.Equal(expected, Check(Verifier(Timestamp), Body, timestamp, signature));
    }

    [Fact]
    public void Secret_is_used_as_utf8_text_not_decoded_from_hex()
    {
        var expected = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"v0:{Timestamp}:{Body}")));
        Assert.Equal(Signature, expected);
    }
}
