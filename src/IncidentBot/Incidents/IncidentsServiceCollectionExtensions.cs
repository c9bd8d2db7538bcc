using Hangfire;
using IncidentBot.BackgroundJobs;
using IncidentBot.Incidents.Card;
using IncidentBot.Incidents.Commands;
using IncidentBot.Incidents.Declare;
using IncidentBot.Incidents.Shortcuts;
using IncidentBot.Incidents.Interactions;
using IncidentBot.Incidents.Jobs;
using IncidentBot.Incidents.Updates;
using IncidentBot.Slack;
using IncidentBot.Telemetry;
using IncidentBot.Timeline;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace IncidentBot.Incidents;

public static class IncidentsServiceCollectionExtensions
{
    public const string SlashCommand = "/incident";

    /// <summary>
    /// Incidents: the <c>/incident</c> commands, opening an incident's channel, its card and its buttons, status updates
    /// and their reminders, roles, responders, nudging quiet incidents, archiving closed ones' channels; declaring through the modal and the shortcuts.
    /// </summary>
    public static IServiceCollection AddIncidents(this IServiceCollection services)
    {
        services.AddOptions<IncidentsOptions>().BindConfiguration(IncidentsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<IncidentsOptions>, IncidentsOptionsValidator>();

        services.AddScoped<IIncidentChannels, IncidentChannels>();
        services.AddSingleton<LiveIncidentChannelCache>();
        services.AddSingleton<LiveIncidentChannelInvalidation>();
        services.AddSingleton<IInterceptor>(provider => provider.GetRequiredService<LiveIncidentChannelInvalidation>());
        services.AddObservedGauges<IncidentMetrics>();
        services.AddScoped<IncidentRecord>();
        services.AddScoped<IncidentDeclarations>();
        services.AddScoped<IncidentVisibility>();
        services.AddScoped<DeclareModalOpener>();
        services.AddScoped<OwnChannelLookup>();
        services.AddScoped<Responders>();
        services.AddScoped<IncidentCards>();
        services.AddScoped<IncidentSteering>();
        services.AddScoped<IncidentClosing>();
        services.AddScoped<StatusUpdates>();
        services.AddUnfinishedWork<UnfinishedIncidentOpenings>();
        services.AddUnfinishedWork<UnfinishedIncidentTopics>();
        services.AddUnfinishedWork<UnfinishedCardRefreshes>();
        services.AddUnfinishedWork<UnfinishedStatusUpdates>();
        services.AddRecurringJob<NudgeQuietIncidentsJob>("nudge-quiet-incidents", job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        services.AddRecurringJob<ArchiveClosedChannelsJob>("archive-closed-channels", job => job.RunAsync(CancellationToken.None), Cron.Hourly());
        services.AddRecurringJob<RemindStatusUpdatesJob>("remind-status-updates", job => job.RunAsync(CancellationToken.None), Cron.Minutely());

        var slack = services.AddSlack()
            .AddCommand<StartIncidentCommand>(SlashCommand, StartIncidentCommand.Name)
            .AddCommand<CloseIncidentCommand>(SlashCommand, CloseIncidentCommand.Command)
            .AddCommand<ReopenIncidentCommand>(SlashCommand, ReopenIncidentCommand.Name)
            .AddCommand<LeadIncidentCommand>(SlashCommand, LeadIncidentCommand.Command)
            .AddCommand<SeverityIncidentCommand>(SlashCommand, SeverityIncidentCommand.Command)
            .AddCommand<MomentIncidentCommand>(SlashCommand, MomentIncidentCommand.Command)
            .AddCommand<UpdateIncidentCommand>(SlashCommand, UpdateIncidentCommand.Command)
            .AddCommand<RoleIncidentCommand>(SlashCommand, RoleIncidentCommand.Command)
            .AddCommand<StatusIncidentCommand>(SlashCommand, StatusIncidentCommand.Command)
            .AddCommand<ListIncidentsCommand>(SlashCommand, ListIncidentsCommand.Name)
            .AddCommand<HelpIncidentCommand>(SlashCommand, HelpIncidentCommand.Name)
            .AddCommand<HelpIncidentCommand>(SlashCommand)
            .AddViewSubmission<DeclareModalSubmission>(DeclareModal.CallbackId)
            .AddGlobalShortcut<DeclareIncidentShortcut>(DeclareIncidentShortcut.CallbackId)
            .AddMessageShortcut<DeclareFromMessageShortcut>(DeclareFromMessageShortcut.CallbackId)
            .AddMessageShortcut<AddToTimelineShortcut>(AddToTimelineShortcut.CallbackId)
            .AddViewSubmission<AddToTimelineSubmission>(AddToTimelineShortcut.CallbackId)
            .AddBlockAction<PostUpdateButton>(IncidentCardIds.PostUpdate)
            .AddBlockAction<SetSeverityButton>(IncidentCardIds.SetSeverity)
            .AddBlockAction<HandOverLeadButton>(IncidentCardIds.HandOverLead)
            .AddBlockAction<CloseIncidentButton>(IncidentCardIds.Close)
            .AddViewSubmission<PostUpdateSubmission>(IncidentCardIds.UpdateForm)
            .AddViewSubmission<SetSeveritySubmission>(IncidentCardIds.SeverityForm)
            .AddViewSubmission<HandOverLeadSubmission>(IncidentCardIds.LeadForm);
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
