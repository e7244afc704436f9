using System.Net;
using System.Net.Http.Headers;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Tenancy;

/// <summary>
/// Walks every route the hub has (read from its endpoint data source, so a new route is covered without editing
/// this test) as a member or API key of tenant A, aiming at tenant B's ids.
/// </summary>
public abstract class TenantIsolationTests(IHubFixture fixture) : HubTestBase(fixture)
{
    private static readonly string[] AnonymousPrefixes = ["/health", "/swagger", "/account", "/hangfire", "/crisp-sim", "/_framework"];

    [Fact]
    public async Task DashboardRoutes_MemberOfA_GetsNotFoundForEveryRouteOfB()
    {
        var (a, b) = await TwoTenantsAsync();
        await Data.UserAsync("owner@a.example", a, TenantRole.Owner);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "owner@a.example");
        var token = await Browser.AntiforgeryTokenAsync(client, "/");

        var tenantRoutes = Endpoints().Where(e => e.Route.RoutePattern.Parameters.Any(p => p.Name == DashboardTenantResolver.RouteKey)).ToList();
        Assert.NotEmpty(tenantRoutes);
        foreach (var (route, method) in tenantRoutes.SelectMany(e => e.Methods.Select(m => (e.Route, m))))
        {
            var url = Fill(route, b);
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method != "GET")
            {
                request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
            }

            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {url} answered {(int)response.StatusCode} to a member of another tenant.");
        }

        // The same pages of A's own tenant do answer, so the 404s above are about B, not broken routes.
        var own = await client.GetAsync($"/t/{a:D}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var html = await own.Content.ReadAsStringAsync();
        Assert.Contains("Tenant A", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Tenant B", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardOverview_MemberOfA_CountsOnlyAsRows()
    {
        var (a, b) = await TwoTenantsAsync();
        for (var i = 0; i < 3; i++)
        {
            await Data.ApiKeyAsync(b);
        }

        await Data.UserAsync("owner@a.example", a, TenantRole.Owner);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "owner@a.example");

        var html = await client.GetStringAsync($"/t/{a:D}");
        // A has one key (from TwoTenantsAsync); without the query filter the page would count B's as well.
        Assert.Contains("Active API keys</div><div class=\"metric\">1</div>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiRoutes_KeyOfA_NeverSeesOrReachesB()
    {
        var (a, b) = await TwoTenantsAsync();
        var keyA = await Data.ApiKeyAsync(a);
        var client = Hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", keyA.Plaintext);

        var apiRoutes = Endpoints().Where(e => e.Route.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true || e.Route.RoutePattern.RawText?.StartsWith("api/", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(apiRoutes);
        foreach (var (route, method) in apiRoutes.SelectMany(e => e.Methods.Select(m => (e.Route, m))))
        {
            var url = Fill(route, b);
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent($"{{\"website_id\":\"{b:D}\"}}", System.Text.Encoding.UTF8, "application/json");
            }

            var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{method} {url} answered {(int)response.StatusCode}.");
            Assert.DoesNotContain(b.ToString("D"), body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Tenant B", body, StringComparison.Ordinal);
        }

        var tenant = await client.GetStringAsync("/api/v1/tenant");
        Assert.Contains(a.ToString("D"), tenant, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Routes_EveryNonPublicRoute_RequiresAuthentication()
    {
        var anonymous = Hub.CreateBrowser();
        foreach (var (route, method) in Endpoints()
                     .Where(e => !AnonymousPrefixes.Any(p => ("/" + e.Route.RoutePattern.RawText?.TrimStart('/')).StartsWith(p, StringComparison.Ordinal)))
                     .SelectMany(e => e.Methods.Select(m => (e.Route, m))))
        {
            var url = Fill(route, Guid.NewGuid());
            var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
            // 403 is the Crisp settings page refusing a missing subscription token: the same "no" as 401 for a browser.
            Assert.True(
                response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect or HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Forbidden,
                $"Anonymous {method} {url} answered {(int)response.StatusCode}.");
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            }
        }
    }

    private async Task<(Guid A, Guid B)> TwoTenantsAsync()
    {
        var a = await Data.TenantAsync("Tenant A");
        var b = await Data.TenantAsync("Tenant B");
        await Data.ApiKeyAsync(a);
        await Data.UserAsync("owner@b.example", b, TenantRole.Owner);
        return (a, b);
    }

    private IEnumerable<(RouteEndpoint Route, IReadOnlyList<string> Methods)> Endpoints() =>
        Hub.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (e, (IReadOnlyList<string>)(e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])))
            .Where(x => x.Item2.Count > 0);

    /// <summary>Every parameter gets the other tenant's website id or a fresh id: A has no right to either.</summary>
    private static string Fill(RouteEndpoint route, Guid otherTenant)
    {
        var path = "/" + route.RoutePattern.RawText!.TrimStart('/');
        foreach (var parameter in route.RoutePattern.Parameters)
        {
            var value = parameter.Name == DashboardTenantResolver.RouteKey ? otherTenant.ToString("D") : Guid.NewGuid().ToString("D");
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{\\*{0,2}" + parameter.Name + "[^}]*\\}", value);
        }

        return path;
    }
}

public sealed class TenantIsolationTestsOnSqlite(SqliteHubFixture fixture) : TenantIsolationTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class TenantIsolationTestsOnPostgres(PostgresHubFixture fixture) : TenantIsolationTests(fixture);
