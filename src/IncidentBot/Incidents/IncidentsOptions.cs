using System.ComponentModel.DataAnnotations;

namespace IncidentBot.Incidents;

/// <summary>The <c>Incidents</c> configuration section.</summary>
public sealed class IncidentsOptions
{
    public const string Section = "Incidents";

    /// <summary>The channel (an id such as C0123ABCD, or a name) where post-mortem drafts are posted.</summary>
    [Required(ErrorMessage = "Incidents:PostmortemChannel is not set. Set it in appsettings.json or the environment variable Incidents__PostmortemChannel to the channel id (e.g. C0123ABCD) for post-mortem drafts.")]
    public string PostmortemChannel { get; set; } = "";
}
