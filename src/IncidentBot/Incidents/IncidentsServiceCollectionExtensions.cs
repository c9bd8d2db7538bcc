using Hangfire;
using IncidentBot.BackgroundJobs;
using IncidentBot.Incidents.Commands;
using IncidentBot.Incidents.Declare;
using IncidentBot.Incidents.Shortcuts;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Slack;
using IncidentBot.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents;

public static class IncidentsServiceCollectionExtensions
{
    public const string SlashCommand = "/incident";

    /// <summary>Incidents: the <c>/incident</c> commands, opening an incident's channel, nudging quiet incidents, archiving closed ones' channels.</summary>
    public static IServiceCollection AddIncidents(this IServiceCollection services)
    {
        services.AddOptions<IncidentsOptions>().BindConfiguration(IncidentsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<IncidentsOptions>, IncidentsOptionsValidator>();

        services.AddScoped<IIncidentChannels, IncidentChannels>();
        services.AddScoped<IncidentRecord>();
        services.AddScoped<IncidentDeclarations>();
        services.AddScoped<IncidentVisibility>();
        services.AddScoped<DeclareModalOpener>();
        services.AddScoped<OwnChannelLookup>();
        services.AddUnfinishedWork<UnfinishedIncidentOpenings>();
        services.AddUnfinishedWork<UnfinishedIncidentTopics>();
        services.AddRecurringJob<NudgeQuietIncidentsJob>("nudge-quiet-incidents", job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        services.AddRecurringJob<ArchiveClosedChannelsJob>("archive-closed-channels", job => job.RunAsync(CancellationToken.None), Cron.Hourly());

        var slack = services.AddSlack()
            .AddCommand<StartIncidentCommand>(SlashCommand, StartIncidentCommand.Name)
            .AddCommand<CloseIncidentCommand>(SlashCommand, CloseIncidentCommand.Command)
            .AddCommand<ReopenIncidentCommand>(SlashCommand, ReopenIncidentCommand.Name)
            .AddCommand<LeadIncidentCommand>(SlashCommand, LeadIncidentCommand.Command)
            .AddCommand<SeverityIncidentCommand>(SlashCommand, SeverityIncidentCommand.Command)
            .AddCommand<MomentIncidentCommand>(SlashCommand, MomentIncidentCommand.Command)
            .AddCommand<StatusIncidentCommand>(SlashCommand, StatusIncidentCommand.Command)
            .AddCommand<ListIncidentsCommand>(SlashCommand, ListIncidentsCommand.Name)
            .AddCommand<HelpIncidentCommand>(SlashCommand, HelpIncidentCommand.Name)
            .AddCommand<HelpIncidentCommand>(SlashCommand)
            .AddViewSubmission<DeclareModalSubmission>(DeclareModal.CallbackId)
            .AddGlobalShortcut<DeclareIncidentShortcut>(DeclareIncidentShortcut.CallbackId)
            .AddMessageShortcut<DeclareFromMessageShortcut>(DeclareFromMessageShortcut.CallbackId)
            .AddMessageShortcut<AddToTimelineShortcut>(AddToTimelineShortcut.CallbackId)
            .AddViewSubmission<AddToTimelineSubmission>(AddToTimelineShortcut.CallbackId);
        foreach (var kind in AddToSectionCommand.Sections)
        {
            slack.AddCommand(SlashCommand, kind.Name, provider => ActivatorUtilities.CreateInstance<AddToSectionCommand>(provider, kind));
        }

        foreach (var field in IncidentRecord.Fields)
        {
            slack.AddCommand(SlashCommand, field.Name, provider => ActivatorUtilities.CreateInstance<SetStoryFieldCommand>(provider, field));
        }

        return services;
    }
}
