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
}
