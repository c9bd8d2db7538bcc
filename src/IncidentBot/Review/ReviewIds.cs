namespace IncidentBot.Review;

/// <summary>The action and callback ids of the review modal: how Slack's interactions find their handler.</summary>
public static class ReviewIds
{
    public const string Page = "review_page";
    public const string Edit = "review_edit";
    public const string Remove = "review_remove";
    public const string Restore = "review_restore";
    public const string Add = "review_add";
    public const string Story = "review_story";
    public const string Publish = "review_publish";

    public const string TimelineView = "review_timeline";
    public const string EntryForm = "review_entry";
    public const string StoryForm = "review_story_form";
}
