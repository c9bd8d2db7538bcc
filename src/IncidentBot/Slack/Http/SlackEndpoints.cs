using System.Globalization;
using IncidentBot.Slack.Inbound;
using IncidentBot.Slack.Json;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.Http;

/// <summary>
/// Slack's three request URLs. Each hands the verified raw body to the inbound pipeline (<see cref="SlackInbound"/>),
/// the same one Socket Mode uses, and puts its decision in HTTP's words within Slack's 3 seconds: 200 (with the
/// immediate answer or the url_verification challenge as JSON), 400 when the body is malformed, 500 so that Slack
/// delivers it again.
/// </summary>
public static class SlackEndpoints
{
    public const string CommandsPath = "/slack/commands";
    public const string EventsPath = "/slack/events";
    public const string InteractionsPath = "/slack/interactions";

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        var slack = app.MapGroup("/slack").AddEndpointFilter<SlackSignatureFilter>();
        slack.MapPost("/commands", (HttpContext http, SlackInbound inbound) => HandleAsync(http, inbound, InboundKind.SlashCommand));
        slack.MapPost("/events", (HttpContext http, SlackInbound inbound) => HandleAsync(http, inbound, InboundKind.Event));
        slack.MapPost("/interactions", (HttpContext http, SlackInbound inbound) => HandleAsync(http, inbound, InboundKind.Interaction));
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, SlackInbound inbound, InboundKind kind)
    {
        var body = http.Features.Get<SlackRequestBody>() ?? throw new InvalidOperationException("Slack endpoints run behind SlackSignatureFilter.");
        var headers = http.Request.Headers;
        var result = await inbound.HandleAsync(
            new InboundDelivery
            {
                Kind = kind,
                // Over HTTP, Slack sends events as JSON, commands and interactions as form fields.
                Body = kind == InboundKind.Event ? InboundBody.Json(body.Bytes) : InboundBody.Form(body.AsString()),
                Source = http.Request.Path,
                Attempt = new SlackDelivery(
                    int.TryParse(headers["X-Slack-Retry-Num"], NumberStyles.None, CultureInfo.InvariantCulture, out var retry) ? retry : 0,
                    headers["X-Slack-Retry-Reason"].FirstOrDefault()),
            },
            http.RequestAborted);

        return result switch
        {
            { Outcome: InboundOutcome.Malformed } => Results.BadRequest(),
            { Outcome: InboundOutcome.Retry } => Results.StatusCode(StatusCodes.Status500InternalServerError),
            { Challenge: { } challenge } => Results.Json(new { challenge }),
            { Answer: { } answer } => Results.Json(answer, SlackJson.Options),
            _ => Results.Ok(),
        };
    }
}
