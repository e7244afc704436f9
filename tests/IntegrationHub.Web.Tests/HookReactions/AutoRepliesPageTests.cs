using System.Net;
using IntegrationHub.Web.Features.HookReactions;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.DashboardPages;
using IntegrationHub.Web.Tests.Infrastructure;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.HookReactions;

/// <summary>The dashboard page <c>/t/{websiteId}/auto-replies</c>: editors manage rules (audited), viewers read, other tenants see nothing.</summary>
public abstract class AutoRepliesPageTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    [Fact]
    public async Task Editor_CreatesEditsDisablesAndDeletes_EachAudited_SameRulesAsTheApi()
    {
        var tenant = await Data.TenantAsync("Acme");
        var editor = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var page = $"/t/{tenant:D}/auto-replies";

        var created = await PostAsync(editor, page, page, ("Name", "pricing"), ("Trigger", AutoReplyTriggers.TextContains), ("TextContains", "price"),
            ("ReplyText", "Prices are at /pricing."), ("Enabled", "true"));
        var list = await FollowAsync(editor, created);
        Assert.Contains("pricing", list, StringComparison.Ordinal);
        Assert.Contains("Prices are at /pricing.", list, StringComparison.Ordinal);
        var rule = Assert.Single(await RulesAsync(tenant));
        Assert.Equal((AutoReplyTriggers.TextContains, "price", true, AutoReplyTriggers.DefaultCapPerHour), (rule.Trigger, rule.TextContains, rule.Enabled, rule.CapPerHour));

        await FollowAsync(editor, await PostAsync(editor, $"{page}/{rule.Id}", $"{page}/{rule.Id}", ("Name", "pricing"), ("Trigger", AutoReplyTriggers.TextContains),
            ("TextContains", "cost"), ("ReplyText", "See /pricing."), ("Enabled", "true")));
        await FollowAsync(editor, await PostAsync(editor, page, $"{page}/{rule.Id}/enabled", ("enabled", "false")));
        await FollowAsync(editor, await PostAsync(editor, page, $"{page}/settings", ("windowMinutes", "120"), ("capPerHour", "5")));
        rule = Assert.Single(await RulesAsync(tenant));
        Assert.Equal(("cost", "See /pricing.", false, 120, 5), (rule.TextContains, rule.ReplyText, rule.Enabled, rule.WindowMinutes, rule.CapPerHour));

        var api = await ApiAsync(tenant);
        Assert.Contains("\"reply_text\":\"See /pricing.\"", await api.GetStringAsync("/api/v1/auto-replies"), StringComparison.Ordinal);

        await FollowAsync(editor, await PostAsync(editor, page, $"{page}/{rule.Id}/delete"));
        Assert.Empty(await RulesAsync(tenant));
        var audit = await AuditAsync(tenant);
        Assert.Equal(
            ["auto_reply.created", "auto_reply.updated", "auto_reply.disabled", "auto_reply.settings_updated", "auto_reply.deleted"],
            audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("editor@acme.example", a.Actor));
    }

    [Fact]
    public async Task Editor_InvalidRule_422WithReasons_NothingSaved()
    {
        var tenant = await Data.TenantAsync("Acme");
        var editor = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var page = $"/t/{tenant:D}/auto-replies";

        var response = await PostAsync(editor, page, page, ("Name", ""), ("Trigger", AutoReplyTriggers.OutsideBusinessHours), ("TimeZone", "Mars/Olympus"),
            ("From", "18:00"), ("To", "09:00"), ("ReplyText", "closed"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("A name of 1 to 200 characters is required.", html, StringComparison.Ordinal);
        Assert.Contains("An IANA time zone id", html, StringComparison.Ordinal);
        Assert.Contains("from before to", html, StringComparison.Ordinal);
        Assert.Empty(await RulesAsync(tenant));
        Assert.Empty(await AuditAsync(tenant));
    }

    [Fact]
    public async Task Viewer_ReadsRulesAndNavLink_CannotChangeAnything()
    {
        var tenant = await Data.TenantAsync("Acme");
        var ruleId = await SeedRuleAsync(tenant, "welcome");
        var viewer = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var page = $"/t/{tenant:D}/auto-replies";

        var html = await viewer.GetStringAsync(page);
        Assert.Contains("welcome", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Add auto-reply", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"{page}/{ruleId}/delete", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"{page}\"", await viewer.GetStringAsync($"/t/{tenant:D}"), StringComparison.Ordinal);
        Assert.Contains("Welcome!", await viewer.GetStringAsync($"{page}/{ruleId}"), StringComparison.Ordinal);

        var token = await Browser.AntiforgeryTokenAsync(viewer, "/");
        foreach (var action in new[] { page, $"{page}/{ruleId}", $"{page}/{ruleId}/enabled", $"{page}/{ruleId}/delete", $"{page}/settings" })
        {
            var post = await viewer.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Name"] = "hijacked", ["Trigger"] = AutoReplyTriggers.FirstMessage, ["ReplyText"] = "x",
                ["enabled"] = "false", ["windowMinutes"] = "60", ["capPerHour"] = "1",
            }));
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }

        var rule = Assert.Single(await RulesAsync(tenant));
        Assert.Equal(("welcome", true, AutoReplyTriggers.DefaultCapPerHour), (rule.Name, rule.Enabled, rule.CapPerHour));
    }

    [Fact]
    public async Task CrossTenant_EditorOfA_GetsNotFoundForBsPageAndRules()
    {
        var a = await Data.TenantAsync("Acme");
        var b = await Data.TenantAsync("Globex");
        var ruleOfB = await SeedRuleAsync(b, "globex secret rule");
        var editor = await MemberAsync(a, "editor@acme.example", TenantRole.Editor);
        var token = await Browser.AntiforgeryTokenAsync(editor, $"/t/{a:D}/auto-replies");

        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync($"/t/{b:D}/auto-replies")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync($"/t/{a:D}/auto-replies/{ruleOfB}")).StatusCode);
        foreach (var action in new[] { $"/t/{a:D}/auto-replies/{ruleOfB}", $"/t/{a:D}/auto-replies/{ruleOfB}/enabled", $"/t/{a:D}/auto-replies/{ruleOfB}/delete" })
        {
            var post = await editor.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Name"] = "hijacked", ["Trigger"] = AutoReplyTriggers.FirstMessage, ["ReplyText"] = "x", ["enabled"] = "false",
            }));
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }

        Assert.DoesNotContain("globex secret rule", await editor.GetStringAsync($"/t/{a:D}/auto-replies"), StringComparison.Ordinal);
        var rule = Assert.Single(await RulesAsync(b));
        Assert.Equal(("globex secret rule", true), (rule.Name, rule.Enabled));
        Assert.Empty(await AuditAsync(a));
    }

    [Fact]
    public void Routes_AreTenantDashboardRoutes_SoTheRouteWalkingTestsCoverThem()
    {
        // TenantIsolationTests and DashboardRoleTests walk every route carrying {websiteId}: these must be among them.
        var routes = Hub.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.Contains("auto-replies", StringComparison.Ordinal) == true && !e.RoutePattern.RawText.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(7, routes.Count); // index, create, edit, update, enabled, delete, settings
        Assert.All(routes, r => Assert.Contains(r.RoutePattern.Parameters, p => p.Name == DashboardTenantResolver.RouteKey));
    }

    private async Task<Guid> SeedRuleAsync(Guid tenant, string name)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var rule = new AutoReplyRule { Id = Guid.NewGuid(), Name = name, Trigger = AutoReplyTriggers.FirstMessage, ReplyText = "Welcome!" };
            db.Add(rule);
            await db.SaveChangesAsync();
            return rule.Id;
        }
    }

    private async Task<List<AutoReplyRule>> RulesAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return await db.Set<AutoReplyRule>().AsNoTracking().ToListAsync();
        }
    }

    private async Task<HttpClient> ApiAsync(Guid tenant)
    {
        var key = await Data.ApiKeyAsync(tenant);
        var client = Hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Plaintext);
        return client;
    }
}

public sealed class AutoRepliesPageTestsOnSqlite(SqliteHubFixture fixture) : AutoRepliesPageTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class AutoRepliesPageTestsOnPostgres(PostgresHubFixture fixture) : AutoRepliesPageTests(fixture);
