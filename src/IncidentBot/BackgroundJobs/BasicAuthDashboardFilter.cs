using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Hangfire.Dashboard;

namespace IncidentBot.BackgroundJobs;

/// <summary>HTTP Basic authentication for the Hangfire dashboard, compared in constant time.</summary>
internal sealed class BasicAuthDashboardFilter(string username, string password) : IDashboardAuthorizationFilter
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes($"{username}:{password}");

    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            && TryDecode(header.Parameter, out var supplied)
            && CryptographicOperations.FixedTimeEquals(supplied, _expected))
        {
            return true;
        }

        http.Response.Headers.WWWAuthenticate = "Basic realm=\"IncidentBot jobs\", charset=\"UTF-8\"";
        return false;
    }

    private static bool TryDecode(string? parameter, out byte[] decoded)
    {
        decoded = [];
        if (string.IsNullOrEmpty(parameter))
        {
            return false;
        }

        try
        {
            decoded = Convert.FromBase64String(parameter);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
