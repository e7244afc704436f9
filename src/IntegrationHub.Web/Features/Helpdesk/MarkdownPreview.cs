using System.Net;
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
        string html;
        try
        {
            html = Markdown.ToHtml(markdown ?? "", Pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig refuses elements nested deeper than its limit (128: e.g. 129 '>' quote markers) by throwing, which
            // made the editor and the preview a 500 for such an article (Crisp's copy included). The text is shown as
            // written instead; what is sent to Crisp is untouched.
            html = "<p><strong>No preview:</strong> this Markdown nests quotes or lists deeper than the preview renders "
                + $"({Pipeline.MaximumNestingDepth} levels). It is shown as written.</p><pre>{WebUtility.HtmlEncode(markdown)}</pre>";
        }

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
