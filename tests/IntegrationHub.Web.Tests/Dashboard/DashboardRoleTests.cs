using System.Net;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Dashboard;

/// <summary>Server-side role checks and antiforgery on every dashboard form, found from the endpoint list.</summary>
public abstract partial class DashboardRoleTests(IHubFixture fixture) : HubTestBase(fixture)
{
    [Fact]
    public async Task EveryTenantPost_Viewer_IsForbiddenAndChangesNothing()
    {
        var tenant = await Data.TenantAsync("Acme");
        var ruleId = await SeedRuleAsync(tenant);
        await Data.UserAsync("viewer@acme.example", tenant, TenantRole.Viewer);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "viewer@acme.example");
        var token = await Browser.AntiforgeryTokenAsync(client, "/");

        var posts = TenantPosts().ToList();
        Assert.NotEmpty(posts);
        foreach (var route in posts)
        {
            var url = Fill(route, tenant, ruleId);
            var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["Name"] = "hijacked",
                ["Trigger"] = "x",
                ["enabled"] = "false",
                ["Actions[0].Type"] = "Note",
                ["Actions[0].Text"] = "x",
            }));
            // Preview only reads; every other post changes something and must be refused to a Viewer.
            if (url.EndsWith("/rules/preview", StringComparison.Ordinal))
            {
                Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"Viewer POST {url} answered {(int)response.StatusCode}.");
        }

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var rules = await db.Set<Rule>().ToListAsync();
            Assert.Equal("Paid", Assert.Single(rules).Name);
            Assert.True(rules[0].Enabled);
        }
    }

    [Fact]
    public async Task EveryTenantPost_WithoutAntiforgeryToken_IsRejected()
    {
        var tenant = await Data.TenantAsync("Acme");
        var ruleId = await SeedRuleAsync(tenant);
        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "owner@acme.example");

        foreach (var route in TenantPosts())
        {
            var url = Fill(route, tenant, ruleId);
            var response = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = "x", ["enabled"] = "false" }));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {url} without a token answered {(int)response.StatusCode}.");
        }
    }

    [Fact]
    public async Task Editor_CreatesRuleThroughForm_AuditedAndListed()
    {
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("editor@acme.example", tenant, TenantRole.Editor);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "editor@acme.example");

        var response = await Browser.SubmitAsync(client, $"/t/{tenant:D}/rules/new", $"/t/{tenant:D}/rules/new", new Dictionary<string, string>
        {
            ["Name"] = "Paid orders",
            ["Trigger"] = "order.*",
            ["ConditionMode"] = "All",
            ["Conditions[0].Field"] = "properties.amount",
            ["Conditions[0].Operator"] = "GreaterThan",
            ["Conditions[0].Value"] = "100",
            ["Actions[0].Type"] = "PeopleEvent",
            ["Actions[0].Text"] = "Paid {{ properties.amount }}",
            ["Actions[0].Color"] = "green",
            ["Actions[0].Data"] = "amount = {{ properties.amount }}",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var list = await client.GetStringAsync($"/t/{tenant:D}/rules");
        Assert.Contains("Paid orders", list, StringComparison.Ordinal);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var entry = await db.Set<Web.Features.Audit.AuditEntry>().SingleAsync();
            Assert.Equal(("editor@acme.example", "rule.created", "Paid orders"), (entry.Actor, entry.Action, entry.Target));
        }
    }

    [Fact]
    public async Task Editor_InvalidRule_ShowsMessagesNextToFields()
    {
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("editor@acme.example", tenant, TenantRole.Editor);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "editor@acme.example");

        var response = await Browser.SubmitAsync(client, $"/t/{tenant:D}/rules/new", $"/t/{tenant:D}/rules/new", new Dictionary<string, string>
        {
            ["Name"] = "Broken",
            ["Trigger"] = "order.*",
            ["Actions[0].Type"] = "PeopleEvent",
            ["Actions[0].Text"] = "{% if %}",
            ["Actions[0].Data"] = "Bad.Key = x",
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Invalid Liquid template", html, StringComparison.Ordinal);
        Assert.Contains("Crisp data keys are 1", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_InDashboard_ShowsCallsWithoutQueueingAnything()
    {
        var tenant = await Data.TenantAsync("Acme");
        await SeedRuleAsync(tenant);
        await Data.UserAsync("viewer@acme.example", tenant, TenantRole.Viewer);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "viewer@acme.example");

        var response = await Browser.SubmitAsync(client, $"/t/{tenant:D}/rules/preview", $"/t/{tenant:D}/rules/preview", new Dictionary<string, string>
        {
            ["eventJson"] = """{"event":"order.paid","email":"ada@example.com","properties":{"amount":150}}""",
        });

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("matches", html, StringComparison.Ordinal);
        Assert.Contains($"POST /v1/website/{tenant:D}/people/events/ada%40example.com", html, StringComparison.Ordinal);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Empty(await db.Set<Web.Features.Delivery.CrispCall>().ToListAsync());
        }
    }

    private async Task<Guid> SeedRuleAsync(Guid tenant)
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant);
        var result = await scope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync("Paid", new RuleDefinition
        {
            Trigger = "order.*",
            Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Paid {{ properties.amount }}" }],
        }, "seed", CancellationToken.None);
        return result.Rule!.Id;
    }

    private IEnumerable<RouteEndpoint> TenantPosts() =>
        Hub.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Any(p => p.Name == DashboardTenantResolver.RouteKey)
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true);

    private static string Fill(RouteEndpoint route, Guid tenant, Guid ruleId)
    {
        var path = "/" + route.RoutePattern.RawText!.TrimStart('/');
        path = path.Replace("{websiteId}", tenant.ToString("D"), StringComparison.Ordinal);
        return Parameter().Replace(path, ruleId.ToString("D"));
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}

public sealed class DashboardRoleTestsOnSqlite(SqliteHubFixture fixture) : DashboardRoleTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class DashboardRoleTestsOnPostgres(PostgresHubFixture fixture) : DashboardRoleTests(fixture);
