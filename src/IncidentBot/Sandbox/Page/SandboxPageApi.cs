using System.Text.Json;
using IncidentBot.Incidents;
using IncidentBot.PostMortems;
using IncidentBot.Storage;
using IncidentBot.Slack.Payloads;
using IncidentBot.SlackFake;
using IncidentBot.SlackFake.Workspace;
using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Sandbox.Page;

/// <summary>
/// <c>/sandbox/api/…</c>: what the page shows (one call, polled) and what a person does there, each done through the
/// fake Slack's driver exactly as Slack would tell the bot.
/// </summary>
public static class SandboxPageApi
{
    public static RouteGroupBuilder MapSandboxPageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/sandbox/api");
        api.MapGet("/state", GetStateAsync);
        api.MapPost("/messages", PostAsync);
        // As in Slack, anyone may join a public channel: how teammates get into a new incident channel.
        api.MapPost("/channels/join", async (MessageRequest request, FakeSlackServer slack, CancellationToken ct) =>
            await ActAsync(slack, request.User, () => slack.Driver.JoinChannelAsync(request.User, request.Channel, cancellationToken: ct)));
        api.MapPost("/messages/edit", async (EditRequest request, FakeSlackServer slack, CancellationToken ct) =>
            await ActAsync(slack, request.User, () => slack.Driver.EditMessageAsync(request.User, request.Channel, request.Ts, SlackText.Escape(request.Text), ct)));
        api.MapPost("/messages/delete", async (MessageRequest request, FakeSlackServer slack, CancellationToken ct) =>
            await ActAsync(slack, request.User, () => slack.Driver.DeleteMessageAsync(request.User, request.Channel, request.Ts, ct)));
        api.MapPost("/reactions", async (ReactionRequest request, FakeSlackServer slack, CancellationToken ct) =>
            await ActAsync(slack, request.User, () => request.Add
                ? slack.Driver.AddReactionAsync(request.User, request.Channel, request.Ts, request.Name, ct)
                : slack.Driver.RemoveReactionAsync(request.User, request.Channel, request.Ts, request.Name, ct)));
        // The page already showed a button's confirm dialog, and sends only what the person confirmed.
        api.MapPost("/messages/action", async (MessageActionRequest request, FakeSlackServer slack, CancellationToken ct) =>
            await ActAsync(slack, request.User, () => slack.Driver.ClickMessageButtonAsync(request.User, request.Channel, request.Ts, request.ActionId, request.BlockId, confirm: true, ct)));
        api.MapSandboxModalApi();
        api.MapSandboxShortcutApi();
        return api;
    }

    public sealed record PostRequest(string User, string Channel, string Text, string? ThreadTs);

    public sealed record EditRequest(string User, string Channel, string Ts, string Text);

    public sealed record MessageRequest(string User, string Channel, string Ts);

    public sealed record ReactionRequest(string User, string Channel, string Ts, string Name, bool Add);

    public sealed record MessageActionRequest(string User, string Channel, string Ts, string ActionId, string? BlockId);

    /// <summary>A message, or a slash command when the text starts with "/": sent as the person in the channel.</summary>
    private static async Task<IResult> PostAsync(PostRequest request, FakeSlackServer slack, SlashCommandLog commands, CancellationToken ct)
    {
        var text = request.Text.Trim();
        if (text.Length == 0)
        {
            return Results.BadRequest(new { error = "Type a message first." });
        }

        if (!text.StartsWith('/'))
        {
            return await ActAsync(slack, request.User, () => slack.Driver.PostMessageAsync(request.User, request.Channel, SlackText.Escape(text), request.ThreadTs, ct));
        }

        if (IsPerson(slack, request.User) is { } problem)
        {
            return problem;
        }

        var space = text.IndexOfAny([' ', '\n']);
        var (command, argument) = space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
        var result = await slack.Driver.SendSlashCommandAsync(request.User, request.Channel, command, SlackText.Escape(argument), ct);
        commands.Add(new SentCommand(request.User, request.Channel, text, slack.Options.Clock.GetUtcNow(), result));
        return result.StatusCode == 200
            ? Results.Ok(new { ok = true })
            : Results.Json(new { error = $"The bot answered {command} with HTTP {result.StatusCode?.ToString() ?? "nothing"}." }, statusCode: StatusCodes.Status502BadGateway);
    }

    /// <summary>Does <paramref name="action"/> as <paramref name="user"/>; what the fake refuses is the page's 400 with Slack's error.</summary>
    internal static async Task<IResult> ActAsync<T>(FakeSlackServer slack, string user, Func<Task<T>> action)
    {
        if (IsPerson(slack, user) is { } problem)
        {
            return problem;
        }

        try
        {
            await action();
            return Results.Ok(new { ok = true });
        }
        catch (FakeSlackException exception)
        {
            return Results.BadRequest(new { error = exception.Message });
        }
    }

    internal static IResult? IsPerson(FakeSlackServer slack, string user) =>
        slack.Workspace.FindUser(user) is { IsBot: false, Deleted: false } ? null : Results.BadRequest(new { error = "Choose who you are first." });

    private static async Task<IResult> GetStateAsync(string? user, string? channel, string? thread, FakeSlackServer slack, SlashCommandLog commands, IncidentBotDbContext db, CancellationToken ct)
    {
        var workspace = slack.Workspace;
        var users = workspace.Users;
        var people = users.Where(u => !u.IsBot && !u.Deleted).Select(Person).ToList();
        var me = user is null ? null : people.FirstOrDefault(p => p.Id == user);
        var drafts = await DraftsAsync(db, ct);
        if (me is null)
        {
            return Results.Ok(new PageState(null, people, [], null, [], null, drafts));
        }

        // My channels first, then the public ones I could join (Slack's "browse channels"): a new incident channel
        // shows up for everyone, not only for the declarer the bot invited.
        var channels = workspace.Channels.Where(c => c.HasMember(me.Id) || (!c.IsPrivate && !c.IsArchived))
            .OrderBy(c => !c.HasMember(me.Id)).ThenBy(c => c.IsArchived).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new PageChannel(c.Id, c.Name, c.IsPrivate, c.IsArchived, SlackText.Unescape(c.Topic.Value), c.Members.Count, c.HasMember(me.Id))).ToList();
        var names = users.ToDictionary(u => u.Id);
        var html = new MrkdwnHtml(id => names.GetValueOrDefault(id)?.RealName, id => workspace.FindChannel(id)?.Name);
        var modal = slack.Driver.OpenViewOf(me.Id) is { } view ? PageModal.From(view, html) : null;
        var home = workspace.HomeViewOf(me.Id) is { } homeView ? PageModal.From(homeView, html) : null;
        var surfaces = new PageState(me, people, channels, null, [], null, drafts)
        {
            Modal = modal,
            Home = home,
            Shortcuts = [.. slack.Options.Shortcuts.Select(PageShortcut.From)],
        };
        var current = channels.FirstOrDefault(c => c.Id == channel);
        if (current is null)
        {
            return Results.Ok(surfaces);
        }

        var messages = workspace.Messages(current.Id);
        var items = messages.Where(m => m.IsInChannelHistory).Select(m => Item(m, me.Id, names, html))
            .Concat(Ephemerals(slack, commands, current.Id, me.Id, names, html, threadTs: null))
            .OrderBy(i => i.At).ToList();
        PageThread? open = null;
        if (thread is not null && messages.FirstOrDefault(m => m.Ts == thread && !m.IsReply) is { } parent)
        {
            var replies = messages.Where(m => m.IsReply && m.ThreadTs == parent.Ts).Select(m => Item(m, me.Id, names, html))
                .Concat(Ephemerals(slack, commands, current.Id, me.Id, names, html, parent.Ts)).OrderBy(i => i.At).ToList();
            open = new PageThread(Item(parent, me.Id, names, html), replies);
        }

        return Results.Ok(surfaces with { Channel = current, Items = items, Thread = open });
    }

    private static PagePerson Person(FakeUser user) =>
        new(user.Id, user.RealName, user.Name, string.Concat(user.RealName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(w => char.ToUpperInvariant(w[0]))));

    private static PageItem Item(FakeMessage message, string me, Dictionary<string, FakeUser> names, MrkdwnHtml html)
    {
        var author = message.User is { } id && names.TryGetValue(id, out var user) ? user : null;
        var isBot = message.IsFromBot || author?.IsBot == true;
        var body = html.Blocks(message.Blocks) ?? html.Text(message.Text);
        return new PageItem(
            Key: message.Ts,
            Kind: message.Subtype is null or "thread_broadcast" ? "message" : "system",
            Ts: message.Ts,
            At: Seconds(message.Ts),
            Author: isBot ? "IncidentBot" : author?.RealName ?? message.User ?? "Someone",
            AuthorInitials: author is null ? (isBot ? "IB" : "?") : Person(author).Initials,
            IsBot: isBot,
            Html: body,
            Edited: message.Edited is not null,
            Mine: message.User == me && !isBot,
            Pinned: message.IsPinned,
            Reactions: [.. message.Reactions.Select(r => new PageReaction(r.Name, Emoji.Of(r.Name) ?? $":{r.Name}:", r.Users.Count, r.Users.Contains(me),
                string.Join(", ", r.Users.Select(u => names.GetValueOrDefault(u)?.RealName ?? u))))],
            ReplyCount: message.ReplyCount,
            Note: null);
    }

    /// <summary>What only <paramref name="me"/> sees here: chat.postEphemeral posts, and the answers to my commands.</summary>
    private static IEnumerable<PageItem> Ephemerals(FakeSlackServer slack, SlashCommandLog commands, string channel, string me, Dictionary<string, FakeUser> names, MrkdwnHtml html, string? threadTs)
    {
        var bot = new PageItem("", "ephemeral", null, 0, "IncidentBot", "IB", true, "", false, false, false, [], 0, null);
        foreach (var ephemeral in slack.Workspace.Ephemerals.Where(e => e.ChannelId == channel && e.UserId == me && e.ThreadTs == threadTs))
        {
            yield return bot with { Key = "e" + ephemeral.MessageTs, At = Seconds(ephemeral.MessageTs), Html = html.Blocks(ephemeral.Blocks) ?? html.Text(ephemeral.Text) };
        }

        if (threadTs is not null)
        {
            yield break;
        }

        foreach (var (command, index) in commands.In(channel).Select((c, i) => (c, i)))
        {
            var at = command.At.ToUnixTimeMilliseconds() / 1000.0;
            var note = $"{names.GetValueOrDefault(command.UserId)?.RealName ?? command.UserId} used {command.Line}";
            if (command.Answer is { } answer && (command.UserId == me || Str(answer, "response_type") == "in_channel"))
            {
                var kind = Str(answer, "response_type") == "in_channel" ? "message" : "ephemeral";
                yield return bot with { Key = $"c{index}", Kind = kind, At = at, Note = note, Html = Body(answer, html) };
            }

            if (command.UserId != me)
            {
                continue;
            }

            foreach (var (post, n) in slack.Driver.ResponsesFor(command.Result.ResponseUrlId).Select((p, n) => (p, n)))
            {
                if (post is { Accepted: true, DeleteOriginal: false } && post.ResponseType != "in_channel")
                {
                    yield return bot with { Key = $"c{index}r{n}", At = post.Time.ToUnixTimeMilliseconds() / 1000.0, Note = note, Html = html.Blocks(post.Blocks) ?? html.Text(post.Text) };
                }
            }
        }
    }

    private static string Body(JsonElement answer, MrkdwnHtml html) =>
        html.Blocks(answer.TryGetProperty("blocks", out var blocks) ? blocks : null) ?? html.Text(Str(answer, "text"));

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double Seconds(string ts) =>
        double.TryParse(ts, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;

    private static async Task<List<PageDraft>> DraftsAsync(IncidentBotDbContext db, CancellationToken ct)
    {
        var drafts = await db.PostMortems.AsNoTracking().Where(p => p.PublishedAt != null)
            .Join(db.Incidents, p => p.IncidentId, i => i.Id, (p, i) => new { p.IncidentId, p.Version, i.Title, p.Markdown, p.CompiledAt })
            .ToListAsync(ct);
        // The latest published version of each incident's draft.
        return [.. drafts.GroupBy(d => d.IncidentId).Select(g => g.MaxBy(d => d.Version)!).OrderByDescending(d => d.IncidentId)
            .Select(d => new PageDraft(d.IncidentId, $"INC-{d.IncidentId}", d.Title, DraftHtml.Render(d.Markdown), $"/incidents/{d.IncidentId}/postmortem.md", d.CompiledAt))];
    }
}

/// <summary>
/// What the page shows; <see cref="Modal"/> is the modal open for <see cref="Me"/>, drawn over everything;
/// <see cref="Home"/> the Home tab the app published for them; <see cref="Shortcuts"/> the app's shortcuts.
/// </summary>
public sealed record PageState(PagePerson? Me, IReadOnlyList<PagePerson> People, IReadOnlyList<PageChannel> Channels, PageChannel? Channel, IReadOnlyList<PageItem> Items, PageThread? Thread, IReadOnlyList<PageDraft> Drafts)
{
    public PageModal? Modal { get; init; }

    public PageModal? Home { get; init; }

    public IReadOnlyList<PageShortcut> Shortcuts { get; init; } = [];
}

public sealed record PagePerson(string Id, string Name, string Handle, string Initials);

public sealed record PageChannel(string Id, string Name, bool IsPrivate, bool IsArchived, string Topic, int Members, bool IsMember);

/// <summary>One line of a channel: a message, a system message (joins, topics), or an ephemeral only I see. <see cref="Html"/> is already safe.</summary>
public sealed record PageItem(string Key, string Kind, string? Ts, double At, string Author, string AuthorInitials, bool IsBot, string Html, bool Edited, bool Mine, bool Pinned, IReadOnlyList<PageReaction> Reactions, int ReplyCount, string? Note);

public sealed record PageReaction(string Name, string Emoji, int Count, bool Mine, string Label);

public sealed record PageThread(PageItem Parent, IReadOnlyList<PageItem> Replies);

public sealed record PageDraft(int IncidentId, string Reference, string Title, string Html, string MarkdownUrl, DateTime CompiledAt);
