using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace IncidentBot.Sandbox.Page;

/// <summary>A stored post-mortem draft (Markdown) as HTML: raw HTML in it is shown as text, and links may only go to the web.</summary>
public static class DraftHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    public static string Render(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (link.Url is { } url && !IsSafe(url))
            {
                link.Url = "#";
            }
        }

        return document.ToHtml(Pipeline);
    }

    private static bool IsSafe(string url) =>
        url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || url.StartsWith('/') || url.StartsWith('#');
}
