using Ganss.Xss;
using Markdig;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>
/// Markdown → HTML for the editor's preview, then sanitised with an allow-list (HtmlSanitizer): script and style
/// elements, event-handler attributes and javascript:/data: URLs never reach the page, whatever the Markdown holds
/// (raw HTML included).
/// </summary>
public sealed class MarkdownPreview
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public string Render(string? markdown)
    {
        var html = Markdown.ToHtml(markdown ?? "", Pipeline);
        lock (_sanitizer)
        {
            return _sanitizer.Sanitize(html);
        }
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedAttributes.Remove("style");
        // A named element becomes a property of the page's document and hides its methods: <img name="getElementById">
        // in an article would break the editor's own script. (id is not allowed either.)
        sanitizer.AllowedAttributes.Remove("name");
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedTags.Remove("input");
        sanitizer.AllowedTags.Remove("button");
        sanitizer.AllowedTags.Remove("textarea");
        sanitizer.AllowedTags.Remove("select");
        sanitizer.AllowedCssProperties.Clear();
        return sanitizer;
    }
}
