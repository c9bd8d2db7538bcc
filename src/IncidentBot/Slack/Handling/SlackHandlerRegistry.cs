using System.Collections.Concurrent;
using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.Handling;

/// <summary>
/// Which handlers exist for which event types, filled by <see cref="SlackBuilder"/> at registration.
/// Commands, block actions and views are keyed services; events need this table because one event
/// reaches the handlers of its own type and of each base type.
/// </summary>
public sealed class SlackHandlerRegistry
{
    private readonly Dictionary<Type, List<EventInvoker>> _byEventType = [];
    private readonly ConcurrentDictionary<Type, EventInvoker[]> _resolved = new();

    internal delegate Task EventInvoker(IServiceProvider services, SlackEvent slackEvent, CancellationToken cancellationToken);

    internal HashSet<string> Commands { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal void AddEvent<TEvent, THandler>()
        where TEvent : SlackEvent
        where THandler : class, IEventHandler<TEvent>
    {
        if (!_byEventType.TryGetValue(typeof(TEvent), out var invokers))
        {
            invokers = [];
            _byEventType[typeof(TEvent)] = invokers;
        }

        invokers.Add(static (services, slackEvent, ct) =>
            services.GetRequiredService<THandler>().HandleAsync((TEvent)slackEvent, ct));
        _resolved.Clear();
    }

    /// <summary>The handlers for a runtime event type: its own first, then those of each base type.</summary>
    internal EventInvoker[] For(Type eventType) => _resolved.GetOrAdd(eventType, type =>
    {
        var found = new List<EventInvoker>();
        for (var current = type; current is not null && typeof(SlackEvent).IsAssignableFrom(current); current = current.BaseType)
        {
            if (_byEventType.TryGetValue(current, out var invokers))
            {
                found.AddRange(invokers);
            }
        }

        return [.. found];
    });

    internal static string CommandKey(string command, string? subCommand) =>
        subCommand is null ? command.ToLowerInvariant() : $"{command.ToLowerInvariant()} {subCommand.ToLowerInvariant()}";

    internal static string BlockActionKey(string actionId) => "block_action:" + actionId;

    internal static string ViewKey(string callbackId) => "view:" + callbackId;

    internal static string ShortcutKey(string callbackId) => "shortcut:" + callbackId;
}
