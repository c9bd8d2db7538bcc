using System.Text.Json;

namespace IncidentBot.Tests.Management;

/// <summary>
/// The FastStart publish profile (issue 14, README "The process"): the bot with its own runtime, the runtime and the
/// app compiled into one composite ReadyToRun image. Publishing it takes minutes on two cores, so this reads what
/// MSBuild makes of the profile; bench/process (PUBLISH_PROFILE=FastStart) publishes and starts it.
/// </summary>
public sealed class FastStartProfileTests
{
    [Fact]
    public async Task The_FastStart_profile_publishes_one_self_contained_composite_image_for_this_machine()
    {
        // Arrange
        string[] names = ["SelfContained", "PublishReadyToRun", "PublishReadyToRunComposite", "UseAppHost", "RuntimeIdentifier"];

        // Act
        var properties = await EvaluateAsync(names, "-p:PublishProfile=FastStart");
        var plain = await EvaluateAsync(names);

        // Assert: the profile changes what it says it does; without it the publish stays framework-dependent.
        Assert.Equal("true", properties["SelfContained"]);
        Assert.Equal("true", properties["PublishReadyToRun"]);
        Assert.Equal("true", properties["PublishReadyToRunComposite"]);
        Assert.Equal("true", properties["UseAppHost"]);
        Assert.False(string.IsNullOrEmpty(properties["RuntimeIdentifier"]), "a self-contained publish needs a runtime identifier: this machine's");
        Assert.NotEqual("true", plain["SelfContained"]);
        Assert.NotEqual("true", plain["PublishReadyToRunComposite"]);
    }

    [Fact]
    public async Task The_FastStart_profile_builds_in_folders_of_its_own_so_a_plain_publish_after_it_still_starts()
    {
        // Arrange: as `dotnet publish` evaluates the project (it sets _IsPublishing), where the plain publish's runtime
        // identifier, and with it its build folders, are the same as the profile's. Sharing them, a plain publish after
        // a FastStart one reused the composite image's stub of IncidentBot.dll, and the bot it published aborted at start.
        string[] names = ["IntermediateOutputPath", "OutputPath", "RuntimeIdentifier"];

        // Act
        var profile = await EvaluateAsync(names, "-p:_IsPublishing=true", "-p:PublishProfile=FastStart");
        var plain = await EvaluateAsync(names, "-p:_IsPublishing=true");

        // Assert
        Assert.Equal(plain["RuntimeIdentifier"], profile["RuntimeIdentifier"]);
        Assert.NotEqual(Folder(plain["IntermediateOutputPath"]), Folder(profile["IntermediateOutputPath"]));
        Assert.NotEqual(Folder(plain["OutputPath"]), Folder(profile["OutputPath"]));
    }

    private static string Folder(string path) => path.Replace('\\', '/').TrimEnd('/');

    private static async Task<Dictionary<string, string>> EvaluateAsync(string[] names, params string[] extra)
    {
        string[] evaluate = ["msbuild", "src/IncidentBot/IncidentBot.csproj", "-p:Configuration=Release", "-nodeReuse:false"];
        var stdout = await DotnetCli.RunAsync(TimeSpan.FromMinutes(2), [.. evaluate, .. names.Select(n => "-getProperty:" + n), .. extra]);
        using var json = JsonDocument.Parse(stdout);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
