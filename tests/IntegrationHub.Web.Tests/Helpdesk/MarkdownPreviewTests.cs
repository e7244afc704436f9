using IntegrationHub.Web.Features.Helpdesk;

namespace IntegrationHub.Web.Tests.Helpdesk;

/// <summary>What the sanitised preview must not hand the editor's page, beyond scripts (see HelpdeskApiTests).</summary>
public sealed class MarkdownPreviewTests
{
    [Theory]
    [InlineData("<img src=\"https://example.com/a.png\" name=\"getElementById\">")]
    [InlineData("<img src=\"https://example.com/a.png\" usemap=\"#m\"><map name=\"querySelector\"><area href=\"https://example.com\"></map>")]
    [InlineData("<a name=\"cookie\" href=\"https://example.com\">x</a>")]
    public void NamedElements_LoseTheirName_SoTheyCannotShadowTheDocumentsMethods(string markdown)
    {
        var html = new MarkdownPreview().Render(markdown);

        Assert.DoesNotContain("name=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" id=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("https://example.com", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(129, "> ")]
    [InlineData(300, "- ")]
    public void DeeplyNestedMarkdown_ShownAsWrittenWithAReason_NotAnError(int depth, string marker)
    {
        var markdown = string.Concat(Enumerable.Repeat(marker, depth)) + "<script>alert(1)</script> deep";

        var html = new MarkdownPreview().Render(markdown);

        Assert.Contains("No preview", html, StringComparison.Ordinal);
        Assert.Contains("deep", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }
}
