namespace IncidentBot.SlackFake.Faults;

/// <summary>
/// A misbehaviour of Slack for one call of one method. Each kind mirrors something a real
/// workspace does: 429s, 5xx from the edge, a plain error code, slowness, and the nasty one,
/// a write that lands but whose reply never arrives.
/// </summary>
public abstract record Fault
{
    /// <summary>HTTP 429, <c>Retry-After</c>, body <c>{"ok":false,"error":"ratelimited"}</c>; not processed.</summary>
    public static Fault RateLimited(int retryAfterSeconds = 30) => new RateLimitedFault(retryAfterSeconds);

    /// <summary>A 5xx before processing; <paramref name="htmlBody"/> mimics the edge's HTML page instead of Slack's JSON.</summary>
    public static Fault ServerError(int statusCode = 500, bool htmlBody = false) => new ServerErrorFault(statusCode, htmlBody);

    /// <summary>HTTP 200 <c>{"ok":false,"error":code}</c>; not processed.</summary>
    public static Fault Error(string code) => new ErrorFault(code);

    /// <summary>Waits (real time), then processes and answers normally.</summary>
    public static Fault Slow(TimeSpan delay) => new SlowFault(delay);

    /// <summary>Processes the call fully (the message IS posted) and then answers 500, or drops the connection.</summary>
    public static Fault LostResponse(bool abortConnection = false) => new LostResponseFault(abortConnection);

    /// <summary>This fault <paramref name="count"/> times in a row, for <see cref="FaultInjector.Enqueue(string, IEnumerable{Fault})"/>.</summary>
    public IReadOnlyList<Fault> Times(int count) => [.. Enumerable.Repeat(this, count)];
}

public sealed record RateLimitedFault(int RetryAfterSeconds) : Fault;

public sealed record ServerErrorFault(int StatusCode, bool HtmlBody) : Fault;

public sealed record ErrorFault(string Code) : Fault;

public sealed record SlowFault(TimeSpan Delay) : Fault;

public sealed record LostResponseFault(bool AbortConnection) : Fault;
