using IncidentBot.Data;
using IncidentBot.Incidents.Commands;
using IncidentBot.Incidents.Events;
using IncidentBot.Incidents.Jobs;
using IncidentBot.People;
using IncidentBot.PostMortems;
using IncidentBot.Slack;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents;

public static class IncidentsServiceCollectionExtensions
{
    public const string SlashCommand = "/incident";

    /// <summary>The <c>/incident</c> commands, the timeline capture from Slack events, and their jobs.</summary>
    public static IServiceCollection AddIncidents(this IServiceCollection services)
    {
        services.AddOptions<IncidentsOptions>().BindConfiguration(IncidentsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<IncidentsOptions>, IncidentsOptionsValidator>();

        services.AddScoped<EventLedger>();
        services.AddScoped<TimelineWriter>();
        services.AddScoped<PeopleDirectory>();
        services.AddScoped<DraftCompiler>();
        services.AddScoped<OwnChannelLookup>();
        services.AddScoped<SharedDraftFile>();
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<IncidentsOptions>>().Value.PostmortemTemplate;
            return PostMortemTemplate.TryLoad(path, out var template, out var error) ? template! : throw new InvalidOperationException(error);
        });
        services.AddHostedService<UnfinishedWorkRecovery>();

        services.AddSlack()
            .AddCommand<StartIncidentCommand>(SlashCommand, StartIncidentCommand.Name)
            .AddCommand<CloseIncidentCommand>(SlashCommand, CloseIncidentCommand.Command)
            .AddCommand<NoteIncidentCommand>(SlashCommand, NoteIncidentCommand.Command)
            .AddCommand<LeadIncidentCommand>(SlashCommand, LeadIncidentCommand.Command)
            .AddCommand<SeverityIncidentCommand>(SlashCommand, SeverityIncidentCommand.Command)
            .AddCommand<FactorIncidentCommand>(SlashCommand, FactorIncidentCommand.Command)
            .AddCommand<StepIncidentCommand>(SlashCommand, StepIncidentCommand.Command)
            .AddCommand<ActionIncidentCommand>(SlashCommand, ActionIncidentCommand.Command)
            .AddCommand<StatusIncidentCommand>(SlashCommand, StatusIncidentCommand.Command)
            .AddCommand<ListIncidentsCommand>(SlashCommand, ListIncidentsCommand.Name)
            .AddCommand<HelpIncidentCommand>(SlashCommand, HelpIncidentCommand.Name)
            .AddCommand<HelpIncidentCommand>(SlashCommand)
            .AddEventHandler<MessageEvent, CaptureMessageWhenPosted>()
            .AddEventHandler<MessageChanged, FollowMessageWhenEdited>()
            .AddEventHandler<MessageDeleted, ForgetMessageWhenDeleted>()
            .AddEventHandler<ReactionAdded, AddEntryWhenReacted>()
            .AddEventHandler<ReactionRemoved, RemoveEntryWhenUnreacted>();
        return services;
    }
}
