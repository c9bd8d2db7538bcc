using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IncidentBot.SlackFake;

namespace IncidentBot.Tests.SlackFake;

/// <summary>A raw HTTP caller of the fake's Web API, so tests see exactly what the bot would see.</summary>
public sealed class SlackApiTestClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly FakeSlackServer _server;

    public SlackApiTestClient(FakeSlackServer server)
    {
        _server = server;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server.ApiBaseUrl };
    }

    /// <summary>POSTs JSON with the bot token in the header, as the bot does.</summary>
    public async Task<JsonElement> JsonAsync(string method, object arguments, string contentType = "application/json; charset=utf-8", string? token = null)
    {
        using var response = await SendJsonAsync(method, arguments, contentType, token ?? _server.Options.BotToken);
        return await ReadOkEnvelopeAsync(response);
    }

    public async Task<HttpResponseMessage> SendJsonAsync(string method, object arguments, string contentType, string? bearerToken)
    {
        var body = arguments as string ?? JsonSerializer.Serialize(arguments);
        using var request = new HttpRequestMessage(HttpMethod.Post, method) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        return await _http.SendAsync(request);
    }

    /// <summary>POSTs a form body with the token in the header (or, with <paramref name="tokenInBody"/>, as a field).</summary>
    public async Task<JsonElement> FormAsync(string method, IDictionary<string, string> fields, bool tokenInBody = false, string contentType = "application/x-www-form-urlencoded")
    {
        var values = new Dictionary<string, string>(fields);
        if (tokenInBody)
        {
            values["token"] = _server.Options.BotToken;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, method) { Content = new FormUrlEncodedContent(values) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (!tokenInBody)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.Options.BotToken);
        }

        using var response = await _http.SendAsync(request);
        return await ReadOkEnvelopeAsync(response);
    }

    public async Task<JsonElement> GetAsync(string method, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{method}?{query}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _server.Options.BotToken);
        using var response = await _http.SendAsync(request);
        return await ReadOkEnvelopeAsync(response);
    }

    public void Dispose() => _http.Dispose();

    private static async Task<JsonElement> ReadOkEnvelopeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}

internal static class SlackJsonAssertions
{
    public static void AssertOk(this JsonElement reply) =>
        Assert.True(reply.GetProperty("ok").GetBoolean(), $"Expected ok:true, got {reply}");

    public static void AssertError(this JsonElement reply, string error)
    {
        Assert.False(reply.GetProperty("ok").GetBoolean(), $"Expected ok:false, got {reply}");
        Assert.Equal(error, reply.GetProperty("error").GetString());
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
