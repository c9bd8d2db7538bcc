using IncidentBot.Slack.Payloads;

namespace IncidentBot.Slack.Handling;

/// <summary>
/// Registers handlers, each with its routing key given here, as keyed scoped services:
/// <c>services.AddSlack().AddCommand&lt;T&gt;("/incident", "start").AddEventHandler&lt;ReactionAdded, T&gt;()</c>.
/// </summary>
public sealed class SlackBuilder(IServiceCollection services, SlackHandlerRegistry registry)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>
    /// A handler for <paramref name="command"/>; with <paramref name="subCommand"/> only for text starting
    /// with that word. A handler without a sub-command receives every text no sub-command handler claims.
    /// </summary>
    public SlackBuilder AddCommand<THandler>(string command, string? subCommand = null)
        where THandler : class, ISlashCommandHandler
    {
        AddCommandName(command);
        Services.AddKeyedScoped<ISlashCommandHandler, THandler>(SlackHandlerRegistry.CommandKey(command, subCommand));
        return this;
    }

    /// <summary>A sub-command handler made by <paramref name="create"/>: one class may serve several words, each set up differently.</summary>
    public SlackBuilder AddCommand<THandler>(string command, string subCommand, Func<IServiceProvider, THandler> create)
        where THandler : class, ISlashCommandHandler
    {
        AddCommandName(command);
        Services.AddKeyedScoped<ISlashCommandHandler>(SlackHandlerRegistry.CommandKey(command, subCommand), (provider, _) => create(provider));
        return this;
    }

    public SlackBuilder AddEventHandler<TEvent, THandler>()
        where TEvent : SlackEvent
        where THandler : class, IEventHandler<TEvent>
    {
        Services.AddScoped<THandler>();
        registry.AddEvent<TEvent, THandler>();
        return this;
    }

    public SlackBuilder AddBlockAction<THandler>(string actionId)
        where THandler : class, IBlockActionHandler
    {
        Services.AddKeyedScoped<IBlockActionHandler, THandler>(SlackHandlerRegistry.BlockActionKey(actionId));
        return this;
    }

    public SlackBuilder AddViewSubmission<THandler>(string callbackId)
        where THandler : class, IViewSubmissionHandler
    {
        Services.AddKeyedScoped<IViewSubmissionHandler, THandler>(SlackHandlerRegistry.ViewKey(callbackId));
        return this;
    }

    public SlackBuilder AddGlobalShortcut<THandler>(string callbackId)
        where THandler : class, IGlobalShortcutHandler
    {
        Services.AddKeyedScoped<IGlobalShortcutHandler, THandler>(SlackHandlerRegistry.ShortcutKey(callbackId));
        return this;
    }

    public SlackBuilder AddMessageShortcut<THandler>(string callbackId)
        where THandler : class, IMessageShortcutHandler
    {
        Services.AddKeyedScoped<IMessageShortcutHandler, THandler>(SlackHandlerRegistry.ShortcutKey(callbackId));
        return this;
    }

    private void AddCommandName(string command)
    {
        if (!command.StartsWith('/'))
        {
            throw new ArgumentException($"A slash command starts with '/': '{command}'.", nameof(command));
        }

        registry.Commands.Add(command);
    }
}
