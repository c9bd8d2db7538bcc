namespace IncidentBot.Incidents.Card;

/// <summary>The incident card's buttons and forms, by the ids Slack sends back; each button's value is the incident id.</summary>
public static class IncidentCardIds
{
    public const string PostUpdate = "incident-card-update";
    public const string SetSeverity = "incident-card-severity";
    public const string HandOverLead = "incident-card-lead";
    public const string Close = "incident-card-close";

    public const string UpdateForm = "incident-update-form";
    public const string SeverityForm = "incident-severity-form";
    public const string LeadForm = "incident-lead-form";

    public const string UpdateBlock = "update";
    public const string UpdateAction = "update-text";
    public const string SeverityBlock = "severity";
    public const string SeverityAction = "severity-level";
    public const string LeadBlock = "lead";
    public const string LeadAction = "lead-user";
}
