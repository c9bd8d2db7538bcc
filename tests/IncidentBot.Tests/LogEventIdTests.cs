using System.Reflection;
using Microsoft.Extensions.Logging;

namespace IncidentBot.Tests;

/// <summary>Log event ids are how operators alert on a log line: each names one message, in one place.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void Every_log_message_of_the_bot_has_its_own_event_id()
    {
        var messages = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        Assert.NotEmpty(messages);
        var shared = messages.GroupBy(m => m.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();
        Assert.True(shared.Count == 0, "Event ids used twice:\n" + string.Join('\n', shared));
    }
}
