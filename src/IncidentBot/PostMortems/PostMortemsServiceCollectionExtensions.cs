using Hangfire;
using IncidentBot.BackgroundJobs;
using IncidentBot.Incidents;
using IncidentBot.Slack;
using Microsoft.Extensions.Options;

namespace IncidentBot.PostMortems;

public static class PostMortemsServiceCollectionExtensions
{
    /// <summary>PostMortems: the draft compiled when an incident closes, rendered from the template, published in Slack.</summary>
    public static IServiceCollection AddPostMortems(this IServiceCollection services)
    {
        services.AddOptions<PostMortemsOptions>().BindConfiguration(PostMortemsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PostMortemsOptions>, PostMortemsOptionsValidator>();
        services.AddSingleton<PostMortemMetrics>();
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<PostMortemsOptions>>().Value.PostmortemTemplate;
            return PostMortemTemplate.TryLoad(path, out var template, out var error) ? template! : throw new InvalidOperationException(error);
        });
        services.AddScoped<DraftCompiler>();
        services.AddScoped<SharedDraftFile>();
        services.AddScoped<RevisedDrafts>();
        services.AddScoped<IIncidentClosedHandler, PublishDraftWhenIncidentCloses>();
        services.AddUnfinishedWork<UnfinishedDrafts>();
        services.AddRecurringJob<PurgePublishedMessagesJob>(PurgePublishedMessagesJob.Id, job => job.RunAsync(CancellationToken.None), Cron.Daily());
        services.AddSlack().AddCommand<PublishIncidentCommand>(IncidentsServiceCollectionExtensions.SlashCommand, PublishIncidentCommand.Name);
        return services;
    }
}
