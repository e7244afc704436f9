using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Rules;

namespace IntegrationHub.Web.Tests.Rules;

/// <summary>
/// Parsed templates are cached, but draft rules previewed through the API are any text a key holder sends: the cache
/// stays bounded however many different templates are rendered, and still renders each one right.
/// </summary>
public sealed class RuleTemplateCacheTests
{
    [Fact]
    public async Task ManyDifferentTemplates_CacheStaysBounded_AndEachRendersRight()
    {
        var templates = new RuleTemplates();
        var model = new JsonObject { ["email"] = "jane@example.com" };

        for (var i = 0; i < RuleTemplates.MaxCachedTemplates * 2 + 10; i++)
        {
            var rendered = await templates.RenderAsync($"{{{{ email }}}} #{i}", model);
            Assert.Equal($"jane@example.com #{i}", rendered);
            Assert.True(templates.CachedTemplates <= RuleTemplates.MaxCachedTemplates, $"{templates.CachedTemplates} cached after {i + 1}");
        }

        Assert.Equal("jane@example.com #0", await templates.RenderAsync("{{ email }} #0", model));
    }
}
