using System.Reflection;
using IncidentBot.Slack.WebApi;

namespace IncidentBot.Tests.Slack.WebApi;

/// <summary>STYLE.md convention 9, enforced: the client mirrors Slack's families and method names.</summary>
public sealed class WebApiLintTests
{
    private static IEnumerable<Type> Families() =>
        typeof(ISlackApiClient).GetProperties().Select(p => p.PropertyType);

    [Fact]
    public void Client_exposes_one_family_per_slack_method_group()
    {
        Assert.Equal(
            ["Auth", "Canvases", "Chat", "Conversations", "Files", "Pins", "Reactions", "Usergroups", "Users", "Views"],
            typeof(ISlackApiClient).GetProperties().Select(p => p.Name).Order());
        Assert.All(typeof(ISlackApiClient).GetProperties(), p => Assert.Equal("I" + p.Name + "Api", p.PropertyType.Name));
    }

    [Fact]
    public void Every_method_is_async_takes_a_typed_request_and_ends_with_a_cancellation_token()
    {
        foreach (var method in Families().SelectMany(f => f.GetMethods()))
        {
            var parameters = method.GetParameters();
            Assert.EndsWith("Async", method.Name, StringComparison.Ordinal);
            Assert.True(typeof(Task).IsAssignableFrom(method.ReturnType), $"{method.Name} returns a Task");
            Assert.Equal(typeof(CancellationToken), parameters[^1].ParameterType);
            Assert.True(parameters.Length <= 2, $"{method.DeclaringType!.Name}.{method.Name} takes one request object");
            if (parameters.Length == 2)
            {
                Assert.EndsWith("Request", parameters[0].ParameterType.Name, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Every_catalogued_method_is_named_like_slacks()
    {
        // family.method, or family.group.method as in apps.connections.open.
        Assert.All(SlackMethods.All, m => Assert.Matches(@"^[a-z]+(\.[a-zA-Z]+){1,2}$", m.Name));
        Assert.Equal(SlackMethods.All.Count, SlackMethods.All.Select(m => m.Name).Distinct().Count());
    }

    [Fact]
    public void Files_get_upload_url_external_is_sent_as_a_form_as_slack_requires()
    {
        Assert.Equal(SlackBodyEncoding.Form, SlackMethods.FilesGetUploadUrlExternal.Encoding);
    }

    [Fact]
    public void Writes_are_never_classified_as_reads()
    {
        string[] writes = ["chat.postMessage", "chat.update", "chat.postEphemeral", "conversations.create", "conversations.invite", "files.completeUploadExternal", "canvases.create", "pins.add", "reactions.add", "views.open", "views.push", "views.update"];
        Assert.All(writes, name => Assert.Equal(SlackCallKind.Write, SlackMethods.All.Single(m => m.Name == name).Kind));
    }

    [Fact]
    public void Families_are_public_interfaces_with_internal_implementations()
    {
        foreach (var family in Families())
        {
            Assert.True(family.IsInterface && family.IsPublic);
            var implementation = typeof(ISlackApiClient).Assembly.GetTypes().Single(t => t.IsClass && family.IsAssignableFrom(t));
            Assert.False(implementation.IsPublic);
            Assert.Equal(family.Name[1..], implementation.Name);
        }
    }
}
