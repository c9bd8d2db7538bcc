using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>A Web API request reduced to what Slack looks at: arguments, where the token came from, body kind.</summary>
internal sealed record ApiRequest(
    Dictionary<string, string> Arguments,
    string? HeaderToken,
    string? ArgumentToken,
    bool IsJson,
    IReadOnlyList<string> Warnings,
    string? BodyError)
{
    /// <summary>Slack reads the token from the header, or from the arguments of a form/query call, never from a JSON body.</summary>
    public string? Token => HeaderToken ?? (IsJson ? null : ArgumentToken);
}

/// <summary>Parses a Web API request the way Slack does (§6.1): query + form or JSON body, charset warnings.</summary>
internal static class ApiRequestReader
{
    public static async Task<ApiRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            arguments[key] = value.ToString();
        }

        var warnings = new List<string>();
        string? bodyError = null;
        var isJson = false;
        MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType);
        var mediaType = contentType?.MediaType.Value?.ToLowerInvariant();
        var charset = contentType?.Charset.Value;

        if (HttpMethods.IsPost(request.Method))
        {
            switch (mediaType)
            {
                case "application/json":
                    isJson = true;
                    if (charset is null)
                    {
                        warnings.Add("missing_charset");
                    }
                    else if (!IsSupportedCharset(charset))
                    {
                        bodyError = "invalid_charset";
                        break;
                    }

                    bodyError = ReadJson(await ReadBodyAsync(request, cancellationToken), arguments);
                    break;

                case "multipart/form-data":
                    var form = await request.ReadFormAsync(cancellationToken);
                    foreach (var (key, value) in form)
                    {
                        arguments[key] = value.ToString();
                    }

                    break;

                // Slack treats text/plain and a missing type as form data, like curl's default.
                case "application/x-www-form-urlencoded" or "text/plain" or null:
                    if (charset is not null)
                    {
                        warnings.Add("superfluous_charset");
                    }

                    foreach (var (key, value) in QueryHelpers.ParseQuery(await ReadBodyAsync(request, cancellationToken)))
                    {
                        arguments[key] = value.ToString();
                    }

                    break;

                default:
                    bodyError = "invalid_post_type";
                    break;
            }
        }

        var argumentToken = arguments.Remove("token", out var token) ? token : null;
        var headerToken = ReadBearer(request.Headers.Authorization.ToString());
        return new ApiRequest(arguments, headerToken, argumentToken, isJson, warnings, bodyError);
    }

    private static string? ReadJson(string body, Dictionary<string, string> arguments)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return "invalid_json";
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "json_not_object";
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Null:
                        break;
                    case JsonValueKind.String:
                        arguments[property.Name] = property.Value.GetString()!;
                        break;
                    default:
                        arguments[property.Name] = property.Value.GetRawText();
                        break;
                }
            }
        }

        return null;
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static string? ReadBearer(string header) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;

    private static bool IsSupportedCharset(string charset) =>
        charset.Trim('"').ToLowerInvariant() is "utf-8" or "utf8" or "iso-8859-1";
}
