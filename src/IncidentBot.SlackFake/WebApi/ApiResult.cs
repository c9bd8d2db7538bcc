using System.Text.Json.Nodes;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>A successful method result: the fields after <c>"ok":true</c>, plus warnings.</summary>
internal sealed class ApiResult
{
    private ApiResult(JsonObject fields) => Fields = fields;

    public JsonObject Fields { get; }

    public List<string> Warnings { get; } = [];

    public static ApiResult Success(JsonObject? fields = null) => new(fields ?? []);

    public ApiResult WithWarning(string warning)
    {
        Warnings.Add(warning);
        return this;
    }
}
