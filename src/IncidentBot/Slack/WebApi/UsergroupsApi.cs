namespace IncidentBot.Slack.WebApi;

public interface IUsergroupsApi
{
    /// <summary>usergroups.users.list: the user ids in a user group (<c>S…</c>); <c>no_such_subteam</c> when there is none.</summary>
    Task<UsergroupUsersResponse> UsersListAsync(UsergroupUsersRequest request, CancellationToken cancellationToken);
}

internal sealed class UsergroupsApi(SlackApiTransport transport) : IUsergroupsApi
{
    public Task<UsergroupUsersResponse> UsersListAsync(UsergroupUsersRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<UsergroupUsersResponse>(SlackMethods.UsergroupsUsersList, request, cancellationToken);
}

public sealed record UsergroupUsersRequest
{
    public required string Usergroup { get; init; }
}

public sealed record UsergroupUsersResponse : SlackResponse
{
    public IReadOnlyList<string> Users { get; init; } = [];
}
