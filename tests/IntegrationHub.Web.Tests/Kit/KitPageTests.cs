using System.Net;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.DashboardPages;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Kit;

/// <summary>The dashboard page <c>/t/{websiteId}/kit</c>: the snippet a developer copies into an SPA.</summary>
public abstract class KitPageTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    [Fact]
    public async Task Snippet_PassesOnOperatorMessageOneFunction_SoRunningItOnEveryRouteChangeRegistersItOnce()
    {
        var tenant = await Data.TenantAsync("Acme");
        var viewer = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);

        var response = await viewer.GetAsync($"/t/{tenant:D}/kit");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var snippet = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"CrispKit.init({{ websiteId: \"{tenant:D}\" }});", snippet, StringComparison.Ordinal);
        // The kit keeps callbacks by reference: the snippet's inline arrow function was a new callback on every
        // route change, so each operator message reached the page once per route visited.
        Assert.DoesNotContain("onOperatorMessage(message =>", snippet, StringComparison.Ordinal);
        Assert.Contains("function showOperatorMessage(message) {", snippet, StringComparison.Ordinal);
        Assert.Contains("CrispKit.onOperatorMessage(showOperatorMessage);", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snippet_PinsTheVersionTheHubServesAsLatest()
    {
        var tenant = await Data.TenantAsync("Acme");
        var viewer = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var snippet = WebUtility.HtmlDecode(await (await viewer.GetAsync($"/t/{tenant:D}/kit")).Content.ReadAsStringAsync());
        var anonymous = Hub.CreateClient();

        // A pinned copy is cached for a year: a snippet naming an older version would ship the older kit's checks.
        foreach (var file in new[] { "crisp-kit.js", "crisp-kit.mjs" })
        {
            var pinned = System.Text.RegularExpressions.Regex.Match(snippet, $@"/kit/(\d+\.\d+\.\d+)/{file.Replace(".", "\\.", StringComparison.Ordinal)}");
            Assert.True(pinned.Success, $"the snippet pins {file}");
            var pinnedBody = await anonymous.GetStringAsync($"/kit/{pinned.Groups[1].Value}/{file}");
            Assert.Equal(await anonymous.GetStringAsync($"/kit/{file}"), pinnedBody);
        }
    }
}

public sealed class KitPageTestsOnSqlite(SqliteHubFixture fixture) : KitPageTests(fixture), IClassFixture<SqliteHubFixture>;
