namespace IncidentBot.SlackFake.WebApi;

/// <summary>A Web API method the fake implements.</summary>
/// <param name="AcceptsJson">False for methods Slack only serves with form/query arguments (reads and files.getUploadURLExternal).</param>
/// <param name="TakesAppToken">True for methods that take the app-level token (xapp-), in the header only.</param>
internal sealed record ApiMethod(string Name, Func<ApiArguments, ApiResult> Handle, bool AcceptsJson, bool TakesAppToken = false);

/// <summary>The methods known to the fake; anything else is <c>unknown_method</c>, as in Slack.</summary>
internal sealed class ApiMethodTable
{
    private readonly Dictionary<string, ApiMethod> _methods = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => _methods.Keys;

    /// <summary>A write method: form or JSON body.</summary>
    public void Write(string name, Func<ApiArguments, ApiResult> handle) => _methods.Add(name, new ApiMethod(name, handle, AcceptsJson: true));

    /// <summary>A method Slack serves with form or query arguments only.</summary>
    public void FormOnly(string name, Func<ApiArguments, ApiResult> handle) => _methods.Add(name, new ApiMethod(name, handle, AcceptsJson: false));

    /// <summary>A method that takes the app-level token (apps.connections.open).</summary>
    public void AppLevel(string name, Func<ApiArguments, ApiResult> handle) => _methods.Add(name, new ApiMethod(name, handle, AcceptsJson: true, TakesAppToken: true));

    public ApiMethod? Find(string name) => _methods.GetValueOrDefault(name);
}
