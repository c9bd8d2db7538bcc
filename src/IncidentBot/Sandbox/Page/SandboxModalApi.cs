using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Driver;

namespace IncidentBot.Sandbox.Page;

/// <summary>
/// <c>/sandbox/api/views/…</c>: what a person does in the modal the page shows, done through the fake Slack's driver.
/// What was typed goes first, input by input, since Slack sends the current state with clicks as with submissions.
/// </summary>
public static class SandboxModalApi
{
    public static RouteGroupBuilder MapSandboxModalApi(this RouteGroupBuilder api)
    {
        api.MapPost("/views/action", (ViewActionRequest request, FakeSlackServer slack, CancellationToken ct) =>
            ActAsync(slack, request.User, request.ViewId, request.Values, () => slack.Driver.ClickViewButtonAsync(request.User, request.ViewId, request.ActionId, request.BlockId, ct)));
        api.MapPost("/views/submit", (ViewRequest request, FakeSlackServer slack, CancellationToken ct) =>
            ActAsync(slack, request.User, request.ViewId, request.Values, () => slack.Driver.SubmitViewAsync(request.User, request.ViewId, ct)));
        api.MapPost("/views/close", (ViewRequest request, FakeSlackServer slack, CancellationToken ct) =>
            ActAsync(slack, request.User, request.ViewId, null, () => slack.Driver.CloseViewAsync(request.User, request.ViewId, ct)));
        return api;
    }

    public sealed record ViewValue(string BlockId, string ActionId, string? Value);

    public sealed record ViewRequest(string User, string ViewId, IReadOnlyList<ViewValue>? Values);

    public sealed record ViewActionRequest(string User, string ViewId, string ActionId, string? BlockId, IReadOnlyList<ViewValue>? Values);

    private static async Task<IResult> ActAsync(FakeSlackServer slack, string user, string viewId, IReadOnlyList<ViewValue>? values, Func<Task<ViewInteractionResult>> action)
    {
        if (SandboxPageApi.IsPerson(slack, user) is { } problem)
        {
            return problem;
        }

        try
        {
            foreach (var value in values ?? [])
            {
                slack.Driver.SetViewValue(user, viewId, value.BlockId, value.ActionId, value.Value ?? "");
            }

            var result = await action();
            // What Slack would show the person instead of doing what the bot asked (trouble connecting, a refused answer).
            return result.Refusal is { } refusal
                ? Results.Json(new { error = refusal }, statusCode: StatusCodes.Status502BadGateway)
                : Results.Ok(new { ok = true });
        }
        catch (FakeSlackException exception)
        {
            return Results.BadRequest(new { error = exception.Message });
        }
    }
}
