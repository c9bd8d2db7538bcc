using System.ComponentModel.DataAnnotations;

namespace IncidentBot.Slack;

/// <summary>The <c>Slack</c> configuration section. Secrets come from the environment or user-secrets, never appsettings.json.</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";

    /// <summary>The bot token (<c>xoxb-…</c>) from the app's "OAuth &amp; Permissions" page.</summary>
    [Required(ErrorMessage = "Slack:BotToken is not set. Set the environment variable Slack__BotToken to the app's Bot User OAuth Token (xoxb-…).")]
    [RegularExpression("^xoxb-.+", ErrorMessage = "Slack:BotToken must be a bot token starting with 'xoxb-' (Slack__BotToken).")]
    public string BotToken { get; set; } = "";

    /// <summary>The signing secret from the app's "Basic Information" page.</summary>
    [Required(ErrorMessage = "Slack:SigningSecret is not set. Set the environment variable Slack__SigningSecret to the app's Signing Secret.")]
    public string SigningSecret { get; set; } = "";

    /// <summary>The app-level token (<c>xapp-…</c>) for Socket Mode; empty means HTTP endpoints only.</summary>
    [RegularExpression("^(xapp-.+)?$", ErrorMessage = "Slack:AppToken must be an app-level token starting with 'xapp-' (Slack__AppToken), or empty.")]
    public string? AppToken { get; set; }

    /// <summary>Socket Mode only: WebSocket connections kept open at once, so that one can take over while another is recycled.</summary>
    [Range(1, 10, ErrorMessage = "Slack:SocketConnections must be between 1 and Slack's limit of 10.")]
    public int SocketConnections { get; set; } = 2;

    /// <summary>
    /// Socket Mode only: a connection that receives nothing at all (no frame, no ping, no pong to our pings) for this
    /// long is treated as dead and replaced. We ping every third of it, so a live link is never this quiet.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "00:10:00", ErrorMessage = "Slack:SocketIdleTimeout must be between 3 seconds and 10 minutes.")]
    public TimeSpan SocketIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Required]
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>How far a request's timestamp may be from our clock, either way, before it is refused as a replay.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Slack:SignatureTolerance must be between 1 second and Slack's 5 minutes.")]
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
