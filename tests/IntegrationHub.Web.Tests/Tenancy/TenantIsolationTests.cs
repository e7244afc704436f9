using System.Net;
using System.Net.Http.Headers;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
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

        // B has real data behind its ids: an event (with a delivery), a contact, an idempotency key.
        var keyB = await Data.ApiKeyAsync(b);
        var clientB = Hub.CreateClient();
        clientB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", keyB.Plaintext);
        const string secretEmail = "only-b@b-secret.example";
        using var eventRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events")
        {
            Content = new StringContent($$"""{"event":"b_secret_event","email":"{{secretEmail}}","message_id":"b-msg"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        eventRequest.Headers.Add("Idempotency-Key", "b-key");
        var eventB = await clientB.SendAsync(eventRequest);
        Assert.Equal(HttpStatusCode.Accepted, eventB.StatusCode);
        var eventIdB = System.Text.Json.JsonDocument.Parse(await eventB.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var contactB = await clientB.PutAsync($"/api/v1/contacts/{secretEmail}",
            new StringContent("""{"nickname":"B secret nickname","data":{"b_secret":"yes"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, contactB.StatusCode);
        var valuesOfB = new Dictionary<string, string> { ["id"] = eventIdB, ["email"] = secretEmail };

        var apiRoutes = Endpoints().Where(e => e.Route.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true || e.Route.RoutePattern.RawText?.StartsWith("api/", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(apiRoutes);
        foreach (var (route, method) in apiRoutes.SelectMany(e => e.Methods.Select(m => (e.Route, m))))
        {
            foreach (var url in new[] { Fill(route, b), Fill(route, b, valuesOfB) }.Distinct())
            {
                foreach (var payload in new[] { $"{{\"website_id\":\"{b:D}\"}}", $$$"""{"event":"b_secret_event","email":"{{{secretEmail}}}","message_id":"b-msg","data":{"b_secret":"no"}}""" })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), url);
                    if (method is "POST" or "PUT" or "PATCH")
                    {
                        request.Content = new StringContent(payload, System.Text.Encoding.UTF8, "application/json");
                        request.Headers.Add("Idempotency-Key", "b-key");
                    }

                    var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True((int)response.StatusCode < 500, $"{method} {url} answered {(int)response.StatusCode}.");
                    Assert.DoesNotContain(b.ToString("D"), body, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("Tenant B", body, StringComparison.Ordinal);
                    Assert.DoesNotContain(eventIdB, body, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("b_secret", body, StringComparison.Ordinal);
                    Assert.DoesNotContain("B secret nickname", body, StringComparison.Ordinal);
                    if (method == "GET")
                    {
                        Assert.DoesNotContain(secretEmail, body, StringComparison.OrdinalIgnoreCase);
                    }
                }
            }
        }

        var tenant = await client.GetStringAsync("/api/v1/tenant");
        Assert.Contains(a.ToString("D"), tenant, StringComparison.Ordinal);
        // B's own view is untouched by everything A sent: one event, its contact as B pushed it.
        var ownEvent = await clientB.GetStringAsync($"/api/v1/events/{eventIdB}");
        Assert.Contains("b_secret_event", ownEvent, StringComparison.Ordinal);
        var (scope, db) = OpenScope(b);
        await using (scope)
        {
            Assert.Equal(1, await db.Set<IntegrationHub.Web.Features.Events.ProductEvent>().CountAsync());
            var contact = await db.Set<IntegrationHub.Web.Features.Contacts.Contact>().SingleAsync();
            Assert.Contains("\"yes\"", contact.Data, StringComparison.Ordinal);
        }
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
    /// <remarks>With <paramref name="valuesOfB"/>, parameters it names (an event id, a contact email) get B's real values.</remarks>
    private static string Fill(RouteEndpoint route, Guid otherTenant, Dictionary<string, string>? valuesOfB = null)
    {
        var path = "/" + route.RoutePattern.RawText!.TrimStart('/');
        foreach (var parameter in route.RoutePattern.Parameters)
        {
            var value = parameter.Name == DashboardTenantResolver.RouteKey ? otherTenant.ToString("D")
                : valuesOfB is not null && valuesOfB.TryGetValue(parameter.Name, out var real) ? real
                : Guid.NewGuid().ToString("D");
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{\\*{0,2}" + parameter.Name + "[^}]*\\}", value);
        }

        return path;
    }
}

public sealed class TenantIsolationTestsOnSqlite(SqliteHubFixture fixture) : TenantIsolationTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class TenantIsolationTestsOnPostgres(PostgresHubFixture fixture) : TenantIsolationTests(fixture);
