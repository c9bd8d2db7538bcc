namespace IncidentBot.Timeline;

/// <summary>
/// A Slack message whose capture reaction must be set again to what the record says (on the record: the bot's
/// reaction; off it: none). One row per message however many pins and unpins asked: <see cref="Requests"/> counts the
/// asks, so a drain that read the row deletes it only if nobody asked again meanwhile.
/// </summary>
public sealed class CaptureAcknowledgement
{
    public required string ChannelId { get; set; }

    public required string Ts { get; set; }

    public long Requests { get; set; }

    public DateTime RequestedAt { get; set; }
}
