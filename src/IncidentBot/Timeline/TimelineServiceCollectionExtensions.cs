using IncidentBot.BackgroundJobs;
using IncidentBot.Slack;
using IncidentBot.Slack.Payloads;
using IncidentBot.Timeline.Capture;
using Microsoft.Extensions.Options;

namespace IncidentBot.Timeline;

public static class TimelineServiceCollectionExtensions
{
    /// <summary>Timeline: the record of an incident, captured from Slack's message and reaction events, and its one writer.</summary>
    public static IServiceCollection AddTimeline(this IServiceCollection services)
    {
        services.AddOptions<TimelineOptions>().BindConfiguration(TimelineOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TimelineOptions>, TimelineOptionsValidator>();
        services.AddScoped<TimelineWriter>();
        services.AddSingleton<CaptureAcknowledgements>();
        // Idle unless the job storage is shared (see CaptureAcknowledgements).
        services.AddSingleton<CaptureAcknowledgementDrainer>();
        services.AddHostedService(provider => provider.GetRequiredService<CaptureAcknowledgementDrainer>());
        services.AddScoped<TimelineReview>();
        // PostgreSQL's message capture, one statement for the concurrent requests' messages (idle on SQLite).
        services.AddSingleton<MessageCaptureBatch>();
        services.AddUnfinishedWork<UnfinishedTimelineWork>();

        services.AddSlack()
            .AddEventHandler<MessageEvent, CaptureMessageWhenPosted>()
            .AddEventHandler<MessageChanged, FollowMessageWhenEdited>()
            .AddEventHandler<MessageDeleted, ForgetMessageWhenDeleted>()
            .AddEventHandler<ReactionAdded, AddEntryWhenReacted>()
            .AddEventHandler<ReactionRemoved, RemoveEntryWhenUnreacted>();
        return services;
    }
}
