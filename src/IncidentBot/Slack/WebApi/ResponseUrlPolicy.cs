using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.WebApi;

/// <summary>
/// Where a <c>response_url</c> may point: Slack's own hosts over https (<c>hooks.slack.com</c>, any <c>*.slack.com</c>),
/// or the host of <c>Slack:ApiBaseUrl</c> (how a fake Slack is reached). The URL arrives in a payload, so without this
/// anyone who could get one signed would make the bot POST wherever they like (an internal address, say).
/// </summary>
internal sealed class ResponseUrlPolicy(IOptions<SlackOptions> options)
{
    private const string SlackDomain = "slack.com";

    public bool Allows(string responseUrl, out Uri? uri)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out uri) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        var host = uri.IdnHost;
        if (uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort
            && (host.Equals(SlackDomain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + SlackDomain, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var api = options.Value.ApiBaseUrl;
        return uri.Scheme == api.Scheme && host.Equals(api.IdnHost, StringComparison.OrdinalIgnoreCase) && uri.Port == api.Port;
    }
}
