namespace IncidentBot.SlackFake.Scenarios;

/// <summary>
/// The outage our tests and demo replay, retold from the seed post-mortem (shared/seed-postmortem.md) in our own
/// words: a release with a data migration on 19 September 2017, a rollback that only hid the problem, and on the
/// morning of 20 September the consumer API answering 500s until master was deployed and elasticsearch rebuilt.
/// Five messages are pinned; the chatter is not (one pin on it is taken back).
/// The lead sets the key moments as they become known and, before the close, tells the story (description, impact,
/// meeting), so the draft has no prompt left.
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

    /// <summary>The story the lead types before the close (<c>/incident describe</c>, <c>impact</c>, <c>meeting</c>), shown in the draft as typed.</summary>
    public const string Description =
        "The release of 19 September ran a data migration that dropped some deprecated enums from Mongo; elasticsearch was not rebuilt " +
        "after it and still returned them. The app broke right after the release, we blamed the new API and rolled it back, and the app " +
        "looked healthy again, which hid the real fault. The next morning the consumer API was failing most of the app's requests with 500s. " +
        "Deploying master to consumer-api and rebuilding elasticsearch brought the app back at 06:49 UTC.";

    public const string Impact =
        "Most people using the consumer app could not use it: its screens failed to load while the API answered 500s. That is certain " +
        "for 45 minutes, from the report at 06:04 UTC to the fix at 06:49 UTC on 20 September. The key moments count from the release " +
        "the day before: after the rollback nobody checked the app again until that report, so it may have been down all night, and " +
        "their figures are the most the outage can have lasted.";

    public const string Meeting = "waived: Henry Clifford";

    /// <summary>Josh's finding as the lead corrects it in review: what the missed rebuild led to, learned after the fact.</summary>
    public const string CorrectedFactor =
        "The migration deprecated some enums: Mongo no longer had them, but elasticsearch still did, because it was never rebuilt after the migration. " +
        "That made the API look at fault, so yesterday's fix was an API rollback.";

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
            // Priya's report is when the outage was seen; the declaration came a minute and a half later.
            new Command(At(20, 06, 07, 00), Henry, "/incident moment detected 2017-09-20 06:04"),
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
            // The cause goes back to yesterday's release: the impact started with it, and its message goes on the timeline.
            new Command(At(20, 06, 27, 00), Henry, "/incident moment started 2017-09-19 14:00"),
            new React(At(20, 06, 30, 00), Henry, "release", "pushpin"),
            new Say(At(20, 06, 42, 18), Henry, "deploy-master", "Updated consumer-api to master. Damian has started the elasticsearch rebuild."),
            new React(At(20, 06, 43, 00), Damian, "deploy-master", "pushpin"),
            new React(At(20, 06, 44, 00), Henry, "deploy-master", "hammer_and_wrench"),
            new Say(At(20, 06, 49, 51), Priya, "confirmed", "Confirmed: the consumer app works again."),
            new React(At(20, 06, 50, 10), Henry, "confirmed", "pushpin"),
            new React(At(20, 06, 50, 20), Josh, "confirmed", "pushpin"),
            new Command(At(20, 06, 51, 00), Henry, "/incident moment mitigated 2017-09-20 06:49"),
            new Command(At(20, 06, 52, 00), Henry, "/incident action Run QA against the production app before a release, so a missed elasticsearch rebuild is caught early."),
            new Say(At(20, 06, 52, 30), Damian, "runbooks", "We should write migration runbooks ahead of time and review them together, so no step gets missed."),
            new React(At(20, 06, 53, 00), Henry, "runbooks", "white_check_mark"),
            // Before the close, the lead tells the story for the draft (resolved is measured: the close).
            new Command(At(20, 06, 53, 30), Henry, $"/incident describe {Description}"),
            new Command(At(20, 06, 54, 00), Henry, $"/incident impact {Impact}"),
            new Command(At(20, 06, 54, 30), Henry, $"/incident meeting {Meeting}"),
            // Then reviews the record: Josh's finding, typed in a hurry, gets the part the team learned later.
            new Command(At(20, 06, 54, 40), Henry, "/incident timeline"),
            new ClickInModal(At(20, 06, 54, 42), Henry, "Edit", Near: "Found it: the migration deprecated some enums"),
            new FillInModal(At(20, 06, 54, 50), Henry, "Text", CorrectedFactor),
            new SubmitModal(At(20, 06, 54, 52), Henry),
            new Command(At(20, 06, 55, 00), Henry, "/incident close"),
        ]);

    private static DateTimeOffset At(int day, int hour, int minute, int second) => new(2017, 9, day, hour, minute, second, TimeSpan.Zero);
}
