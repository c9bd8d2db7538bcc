namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// A shortcut a person ran: the delivery, the trigger_id handed to the bot, and for a message shortcut the
/// response_url (global shortcuts have none: Slack does not know where the bot would answer).
/// </summary>
public sealed record ShortcutResult(DeliveryResult Delivery, string TriggerId, string? ResponseUrlId = null, Uri? ResponseUrl = null)
{
    public int? StatusCode => Delivery.StatusCode;
}
