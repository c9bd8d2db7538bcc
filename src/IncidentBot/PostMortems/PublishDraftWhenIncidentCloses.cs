using Hangfire;
using IncidentBot.Incidents;
using Microsoft.Extensions.Options;

namespace IncidentBot.PostMortems;

/// <summary>A closed incident's draft is compiled and published by a job, after Slack's 3-second acknowledgement.</summary>
internal sealed class PublishDraftWhenIncidentCloses(IBackgroundJobClient jobs, IOptions<PostMortemsOptions> options) : IIncidentClosedHandler
{
    public string? OnClosed(int incidentId)
    {
        jobs.Enqueue<PublishPostMortemJob>(job => job.RunAsync(incidentId, CancellationToken.None));
        return $"Its post-mortem draft goes to {Mention(options.Value.PostmortemChannel)}.";
    }

    public string? Foretell() => $"Its post-mortem draft is published to {Plain(options.Value.PostmortemChannel)}.";

    /// <summary>A confirmation dialog shows plain text: the channel as its id or name, not as a link.</summary>
    private static string Plain(string channelIdOrName) => "#" + channelIdOrName.TrimStart('#');

    /// <summary>The setting holds a channel id (shown as a link) or a name.</summary>
    public static string Mention(string channelIdOrName) =>
        channelIdOrName.Length > 1 && channelIdOrName[0] is 'C' or 'G' && channelIdOrName.All(char.IsAsciiLetterOrDigit) && channelIdOrName.ToUpperInvariant() == channelIdOrName
            ? $"<#{channelIdOrName}>"
            : "#" + channelIdOrName.TrimStart('#');
}
