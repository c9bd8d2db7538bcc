namespace IncidentBot.Slack.WebApi;

public interface IUsersApi
{
    Task<UserInfoResponse> InfoAsync(UserInfoRequest request, CancellationToken cancellationToken);
}

internal sealed class UsersApi(SlackApiTransport transport) : IUsersApi
{
    public Task<UserInfoResponse> InfoAsync(UserInfoRequest request, CancellationToken cancellationToken) =>
        transport.CallAsync<UserInfoResponse>(SlackMethods.UsersInfo, request, cancellationToken);
}

public sealed record UserInfoRequest
{
    public required string User { get; init; }
}

public sealed record UserInfoResponse : SlackResponse
{
    public SlackUser User { get; init; } = new();
}

public sealed record SlackUser
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public string? RealName { get; init; }
    public bool Deleted { get; init; }
    public bool IsBot { get; init; }
    public string? Tz { get; init; }
    public int? TzOffset { get; init; }
    public UserProfile? Profile { get; init; }

    /// <summary>The name to show people: the real name, else the display name, else the handle (display_name is often empty).</summary>
    public string DisplayName =>
        FirstNonEmpty(RealName, Profile?.RealName, Profile?.DisplayName, Name) ?? Id;

    private static string? FirstNonEmpty(params string?[] candidates) => candidates.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c));
}

public sealed record UserProfile
{
    public string? RealName { get; init; }
    public string? DisplayName { get; init; }
}
