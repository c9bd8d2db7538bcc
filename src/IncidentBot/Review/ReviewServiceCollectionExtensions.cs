using IncidentBot.Incidents;
using IncidentBot.Slack;
using Microsoft.Extensions.Options;

namespace IncidentBot.Review;

public static class ReviewServiceCollectionExtensions
{
    /// <summary>Review: <c>/incident timeline</c> opens a modal where the lead corrects the record and publishes a revised draft.</summary>
    public static IServiceCollection AddReview(this IServiceCollection services)
    {
        services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReviewOptions>, ReviewOptionsValidator>();
        services.AddScoped<Reviewers>();
        services.AddScoped<ReviewSnapshots>();
        services.AddScoped<ReviewScreen>();

        services.AddSlack()
            .AddCommand<ReviewTimelineCommand>(IncidentsServiceCollectionExtensions.SlashCommand, ReviewTimelineCommand.Name)
            .AddBlockAction<PageButton>(ReviewIds.Page)
            .AddBlockAction<EntryFormButton>(ReviewIds.Edit)
            .AddBlockAction<EntryFormButton>(ReviewIds.Add)
            .AddBlockAction<RemoveEntryButton>(ReviewIds.Remove)
            .AddBlockAction<RemoveEntryButton>(ReviewIds.Restore)
            .AddBlockAction<StoryFormButton>(ReviewIds.Story)
            .AddBlockAction<PublishButton>(ReviewIds.Publish)
            .AddViewSubmission<SaveEntrySubmission>(ReviewIds.EntryForm)
            .AddViewSubmission<SaveStorySubmission>(ReviewIds.StoryForm);
        return services;
    }
}
