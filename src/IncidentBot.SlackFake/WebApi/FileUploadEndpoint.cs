using IncidentBot.SlackFake.Workspace;
using Microsoft.AspNetCore.Http;

namespace IncidentBot.SlackFake.WebApi;

/// <summary>
/// The upload URL handed out by files.getUploadURLExternal: takes the raw bytes (or a multipart
/// file) without a token and answers <c>OK - {length}</c> like Slack's file server.
/// </summary>
internal sealed class FileUploadEndpoint(FakeWorkspace workspace)
{
    public async Task HandleAsync(HttpContext http, string fileId)
    {
        byte[] content;
        if (http.Request.HasFormContentType && http.Request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            using var buffer = new MemoryStream();
            if (form.Files.Count > 0)
            {
                await form.Files[0].CopyToAsync(buffer, http.RequestAborted);
            }

            content = buffer.ToArray();
        }
        else
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            content = buffer.ToArray();
        }

        if (!workspace.StoreUpload(fileId, content))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync($"OK - {content.Length}", http.RequestAborted);
    }
}
