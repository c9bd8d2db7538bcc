using System.Collections.Immutable;
using IncidentBot.SlackFake.Workspace;

namespace IncidentBot.SlackFake.Driver;

/// <summary>
/// What happened when a person used a modal: the delivery to the bot (null when Slack sent nothing, e.g. closing a
/// view without <c>notify_on_close</c>), the bot's <c>response_action</c> and errors, what Slack refused or showed
/// instead (<see cref="Refusal"/>), and the modal the person sees afterwards.
/// </summary>
public sealed record ViewInteractionResult(DeliveryResult? Delivery, string? TriggerId, FakeView? View)
{
    public const string TroubleConnecting = "We had some trouble connecting. Try again?";

    /// <summary>The bot's <c>response_action</c> (<c>errors</c>, <c>update</c>, <c>push</c>, <c>clear</c>), null for an empty answer.</summary>
    public string? ResponseAction { get; init; }

    /// <summary>The errors map of a <c>response_action: errors</c>, by block_id.</summary>
    public ImmutableDictionary<string, string> Errors { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// Null when Slack did what the bot asked. Else why not: <see cref="TroubleConnecting"/> (non-200 or no answer
    /// within 3 s; the view stays), or a protocol error in the answer (an invalid view, errors keyed on blocks that
    /// are not inputs, a push past the limit).
    /// </summary>
    public string? Refusal { get; init; }

    public int? StatusCode => Delivery?.StatusCode;
}

/// <summary>A click on a message button: the delivery, and the trigger_id and response_url handed to the bot.</summary>
public sealed record MessageButtonResult(DeliveryResult Delivery, string TriggerId, string ResponseUrlId, Uri ResponseUrl)
{
    public int? StatusCode => Delivery.StatusCode;
}
