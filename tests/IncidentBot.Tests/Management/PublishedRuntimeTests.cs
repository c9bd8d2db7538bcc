using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace IncidentBot.Tests.Management;

/// <summary>
/// How the published app runs (issue 14): compiled ahead of time for start-up, on the workstation GC for memory, and
/// still on the shared runtime, so `dotnet IncidentBot.dll` and the image start it as before.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(PublishedAppCollection.Name)]
public sealed class PublishedRuntimeTests(PublishedApp app)
{
    [Theory]
    [InlineData("IncidentBot.dll")]
    [InlineData("Microsoft.EntityFrameworkCore.dll")]
    [InlineData("Hangfire.Core.dll")]
    public void The_app_and_its_packages_are_published_with_ReadyToRun_code(string assembly)
    {
        // Arrange
        using var file = File.OpenRead(Path.Combine(app.Folder, assembly));
        using var pe = new PEReader(file);

        // Act: ReadyToRun code is found through the CLI header's managed native header; IL-only files have none.
        var nativeHeader = pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory;

        // Assert
        Assert.True(nativeHeader.Size > 0, $"{assembly} has no ReadyToRun code");
    }

    [Fact]
    public void The_published_runtime_config_asks_for_the_workstation_GC_on_the_shared_framework()
    {
        // Arrange
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.Folder, "IncidentBot.runtimeconfig.json")));
        var options = config.RootElement.GetProperty("runtimeOptions");

        // Act
        var server = options.GetProperty("configProperties").GetProperty("System.GC.Server").GetBoolean();
        var frameworks = options.GetProperty("frameworks").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();

        // Assert: framework-dependent (no runtime copied in), as the aspnet image expects.
        Assert.False(server);
        Assert.Contains("Microsoft.AspNetCore.App", frameworks);
        Assert.False(File.Exists(Path.Combine(app.Folder, "libcoreclr.so")));
    }

    [Fact]
    public void The_Dockerfile_restores_for_the_runtime_it_publishes_for()
    {
        // Arrange
        var lines = DeploymentFiles.Dockerfile().Split('\n');

        // Act
        var restore = lines.Single(l => l.StartsWith("RUN dotnet restore ", StringComparison.Ordinal));
        var publish = lines.Single(l => l.StartsWith("RUN dotnet publish ", StringComparison.Ordinal));

        // Assert: a ReadyToRun publish without restoring fails unless the restore named the same runtime.
        Assert.Contains("--use-current-runtime", restore, StringComparison.Ordinal);
        Assert.Contains("--use-current-runtime", publish, StringComparison.Ordinal);
        Assert.Contains("--no-restore", publish, StringComparison.Ordinal);
    }
}
