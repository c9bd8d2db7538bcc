namespace IncidentBot.People;

/// <summary>A Slack user's name as users.info gave it (real name, else display name), cached.</summary>
public sealed class Person
{
    public required string UserId { get; set; }

    public required string Name { get; set; }

    public DateTime FetchedAt { get; set; }
}
