using System.Text.Json.Nodes;

namespace IncidentBot.SlackFake.Workspace;

/// <summary>
/// Home tabs as Slack keeps them: one view per user, published by the app with views.publish and replaced on each
/// publish under the same view id (a new hash each time), and each user's App Home channel (the app's DM with them).
/// </summary>
public sealed partial class FakeWorkspace
{
    private readonly Dictionary<string, ViewRecord> _homeViews = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _appHomeChannels = new(StringComparer.Ordinal);

    /// <summary>The Home tab the app last published for <paramref name="userId"/>, or null when it never did.</summary>
    public FakeView? HomeViewOf(string userId)
    {
        lock (_gate)
        {
            return _homeViews.TryGetValue(userId, out var view) ? view.Snapshot(_options) : null;
        }
    }

    /// <summary>The id of the app's DM with <paramref name="userId"/> (<c>D…</c>), the channel of app_home_opened: the same for the user every time.</summary>
    public string AppHomeChannelOf(string userId)
    {
        lock (_gate)
        {
            if (!_appHomeChannels.TryGetValue(userId, out var channelId))
            {
                _appHomeChannels[userId] = channelId = _ids.Next("D");
            }

            return channelId;
        }
    }

    /// <summary>views.publish: the user's Home tab, refused when <paramref name="hash"/> is given and is not the current one.</summary>
    internal FakeView PublishHomeView(string userId, string? hash, JsonObject definition)
    {
        GetUser(userId);
        lock (_gate)
        {
            if (_homeViews.TryGetValue(userId, out var home))
            {
                return Replace(home, hash, definition);
            }

            RequireUniqueExternalId(definition, null);
            // Depth 1: shown in the user's Home tab, a view the person can click as they can the top of a modal stack.
            var view = _homeViews[userId] = NewView(triggerId: "", userId, definition, depth: 1, previous: null);
            return view.Snapshot(_options);
        }
    }

    /// <summary>A view the person can click in: the modal they see, or their Home tab.</summary>
    internal FakeView RequireShownView(string userId, string viewId)
    {
        lock (_gate)
        {
            return _homeViews.TryGetValue(userId, out var home) && home.Id == viewId
                ? home.Snapshot(_options)
                : RequireTopViewLocked(userId, viewId).Snapshot(_options);
        }
    }
}
