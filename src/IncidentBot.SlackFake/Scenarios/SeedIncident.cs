namespace IncidentBot.SlackFake.Scenarios;

/// <summary>
/// The outage our tests and demo replay, retold from the seed post-mortem (shared/seed-postmortem.md) in our own
/// words: a release with a data migration on 19 September 2017, a rollback that only hid the problem, and on the
/// morning of 20 September the consumer API answering 500s until master was deployed and elasticsearch rebuilt.
/// Five messages are pinned; the chatter is not (one pin on it is taken back).
/// </summary>
public static class SeedIncident
{
    public const string Title = "Consumer app outage";
    public const string Channel = "consumer-eng";

    public const string Henry = "U0HENRY001";
    public const string Damian = "U0DAMIAN01";
    public const string Josh = "U0JOSH0001";
    public const string Priya = "U0PRIYA001";

    /// <summary>The five pinned key messages, in the order they were posted.</summary>
    public static readonly IReadOnlyList<string> PinnedLabels = ["release", "api-500", "master-ok", "deploy-master", "confirmed"];

    public static Scenario Create() => new(
        Channel,
        [
            new(Henry, "henry", "Henry Clifford"),
            new(Damian, "damian", "Damian Okafor"),
            new(Josh, "josh", "Josh Pereira"),
            new(Priya, "priya", "Priya Raman"),
        ],
        [
            // The day before: nobody knows yet that this is the start of an incident.
            new Say(At(19, 14, 00, 00), Henry, "release", "Major release is live in production, and the data migration ran with it. QA signed off on staging builds against the staging APIs."),
            new Say(At(19, 14, 15, 00), Priya, "first-report", "The consumer app stopped working right after the release."),
            new Say(At(19, 14, 21, 00), Henry, "rollback", "Confirmed, and rolled back to the last good version. Looks fine again."),

            // The next morning it is back.
            new Say(At(20, 06, 04, 00), Priya, "report", "The consumer app isn't working again: every screen fails to load."),
            new Command(At(20, 06, 05, 30), Henry, "/incident start Consumer app outage"),
            new Command(At(20, 06, 06, 10), Henry, "/incident severity SEV1"),
            new Say(At(20, 06, 08, 12), Damian, "api-500", "The consumer API is answering 500 (Internal Server Error) to most consumer requests."),
            new React(At(20, 06, 09, 00), Josh, "api-500", "pushpin"),
            new Say(At(20, 06, 11, 40), Josh, "chatter", "Anyone have the dashboard link handy?"),
            new React(At(20, 06, 11, 50), Josh, "chatter", "pushpin"),
            new Unreact(At(20, 06, 11, 58), Josh, "chatter", "pushpin"),
            new Say(At(20, 06, 12, 05), Damian, "chatter-reply", "It's in the channel bookmarks.", InThreadOf: "chatter"),
            new Say(At(20, 06, 21, 33), Damian, "master-ok", "Josh and I pointed the production iOS client at consumer-staging, which runs the latest master: it works. Master is good."),
            new React(At(20, 06, 22, 00), Henry, "master-ok", "pushpin"),
            new Say(At(20, 06, 25, 02), Josh, "factor", "Found it: the migration deprecated some enums. Mongo no longer has them, but elasticsearch still does, and elasticsearch was never rebuilt after the migration."),
            new React(At(20, 06, 26, 00), Henry, "factor", "bulb"),
            new React(At(20, 06, 30, 00), Henry, "release", "pushpin"),
            new Say(At(20, 06, 42, 18), Henry, "deploy-master", "Updated consumer-api to master. Damian has started the elasticsearch rebuild."),
            new React(At(20, 06, 43, 00), Damian, "deploy-master", "pushpin"),
            new React(At(20, 06, 44, 00), Henry, "deploy-master", "hammer_and_wrench"),
            new Say(At(20, 06, 49, 51), Priya, "confirmed", "Confirmed: the consumer app works again."),
            new React(At(20, 06, 50, 10), Henry, "confirmed", "pushpin"),
            new React(At(20, 06, 50, 20), Josh, "confirmed", "pushpin"),
            new Command(At(20, 06, 52, 00), Henry, "/incident action Run QA against the production app before a release, so a missed elasticsearch rebuild is caught early."),
            new Say(At(20, 06, 52, 30), Damian, "runbooks", "We should write migration runbooks ahead of time and review them together, so no step gets missed."),
            new React(At(20, 06, 53, 00), Henry, "runbooks", "white_check_mark"),
            new Command(At(20, 06, 55, 00), Henry, "/incident close"),
        ]);

    private static DateTimeOffset At(int day, int hour, int minute, int second) => new(2017, 9, day, hour, minute, second, TimeSpan.Zero);
}
