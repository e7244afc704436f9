using System.Net;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Tests.DashboardPages;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.Relay;

/// <summary>The dashboard page <c>/t/{websiteId}/relay</c>: editors add endpoints and see the secret once; viewers read.</summary>
public abstract class RelayPageTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    [Fact]
    public async Task Editor_AddsEndpoint_SecretShownOnceThenNever()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var page = $"/t/{tenant:D}/relay";

        var response = await PostAsync(client, page, page, ("url", "https://hooks.acme.example/crisp"), ("events", "message:*, session:set_data"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        // Read as text, not markup: the page HTML-encodes the secret's base64, and '+' becomes "&#x2B;" (a secret
        // starting with it was not found at all, about one run in 64).
        var secret = Regex.Match(WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), "whsec_[A-Za-z0-9+/=]+").Value;
        Assert.True(secret.Length > "whsec_".Length + 20, secret);
        var again = WebUtility.HtmlDecode(await client.GetStringAsync(page));
        Assert.Contains("https://hooks.acme.example/crisp", again, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, again, StringComparison.Ordinal);
        var entry = Assert.Single(await AuditAsync(tenant));
        Assert.Equal(("editor@acme.example", "relay.endpoint.created"), (entry.Actor, entry.Action));
        Assert.DoesNotContain(secret, WebUtility.HtmlDecode(await client.GetStringAsync($"/t/{tenant:D}/audit")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editor_ReplayToADisabledEndpoint_NotQueued_PageSaysWhy()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var endpoint = Guid.NewGuid();
        var delivery = Guid.NewGuid();
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var now = DateTimeOffset.UtcNow;
            db.Add(new RelayEndpoint { Id = endpoint, Url = "https://hooks.acme.example/crisp", EventFilter = "*", Enabled = false, DisabledReason = "failing for days", CreatedAt = now });
            db.Add(new RelayDelivery { Id = delivery, EndpointId = endpoint, Event = "message:send", Payload = "{}", WebhookId = RelaySignature.NewWebhookId(), CreatedAt = now, NextAttemptAt = now });
            await db.SaveChangesAsync();
        }

        var page = $"/t/{tenant:D}/relay/deliveries/{delivery:D}";
        var html = await FollowAsync(client, await PostAsync(client, page, $"{page}/replay"));

        Assert.Contains("Not replayed. Its endpoint is disabled", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        var (check, checkDb) = OpenScope(tenant);
        await using (check)
        {
            Assert.Equal(1, await checkDb.Set<RelayDelivery>().CountAsync());
        }
    }

    [Fact]
    public async Task Editor_RefusedEndpoint_FormKeepsWhatWasTypedAndSaysWhy()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var page = $"/t/{tenant:D}/relay";

        var response = await PostAsync(client, page, page, ("url", "http://hooks.acme.example/crisp?a=1&b=\"2\""), ("events", "conversation:*, session:set_data"));

        // The page used to come back with an empty URL and the events reset to "message:*".
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("The URL must use https.", html, StringComparison.Ordinal);
        Assert.Contains("name=\"url\" required maxlength=\"2000\" placeholder=\"https://example.com/hooks/crisp\" value=\"http://hooks.acme.example/crisp?a=1&amp;b=&quot;2&quot;\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"events\" required value=\"conversation:*, session:set_data\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"events\" required value=\"message:*\"", await client.GetStringAsync(page), StringComparison.Ordinal);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Empty(await db.Set<RelayEndpoint>().ToListAsync());
        }
    }

    [Fact]
    public async Task DeliveryTimes_CarryTheirZone_ForTheViewersLocalTime()
    {
        var tenant = await Data.TenantAsync("Acme");
        var endpoint = Guid.NewGuid();
        var delivery = Guid.NewGuid();
        var created = new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            db.Add(new RelayEndpoint { Id = endpoint, Url = "https://hooks.acme.example/crisp", EventFilter = "*", Enabled = true, CreatedAt = created });
            db.Add(new RelayDelivery { Id = delivery, EndpointId = endpoint, Event = "message:send", Payload = "{}", WebhookId = RelaySignature.NewWebhookId(), CreatedAt = created, NextAttemptAt = created.AddMinutes(5) });
            await db.SaveChangesAsync();
        }

        var viewer = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        foreach (var page in new[] { $"/t/{tenant:D}/relay", $"/t/{tenant:D}/relay/deliveries/{delivery:D}" })
        {
            var html = await viewer.GetStringAsync(page);
            // Local-times.js turns <time datetime> into the viewer's zone; without scripts the zone is written out.
            Assert.Contains("<time datetime=\"2026-11-25T09:30:00.0000000+00:00\">2026-11-25 09:30:00 UTC</time>", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Viewer_ReadsButCannotChange_DisabledReasonShown()
    {
        var tenant = await Data.TenantAsync("Acme");
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            db.Add(new RelayEndpoint { Id = Guid.NewGuid(), Url = "https://hooks.acme.example/crisp", EventFilter = "*", CreatedAt = DateTimeOffset.UtcNow, Enabled = false, DisabledReason = "every delivery failed since Monday" });
            await db.SaveChangesAsync();
        }

        var viewer = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var html = await viewer.GetStringAsync($"/t/{tenant:D}/relay");
        Assert.Contains("every delivery failed since Monday", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Add endpoint", html, StringComparison.Ordinal);

        var editor = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var token = await Browser.AntiforgeryTokenAsync(editor, $"/t/{tenant:D}/relay");
        var post = await viewer.PostAsync($"/t/{tenant:D}/relay", new FormUrlEncodedContent(new Dictionary<string, string> { ["url"] = "https://x.example/h", ["events"] = "*", ["__RequestVerificationToken"] = token }));
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        var (scope2, db2) = OpenScope(tenant);
        await using (scope2)
        {
            Assert.Single(await db2.Set<RelayEndpoint>().ToListAsync());
        }
    }
}

public sealed class RelayPageTestsOnSqlite(SqliteHubFixture fixture) : RelayPageTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class RelayPageTestsOnPostgres(PostgresHubFixture fixture) : RelayPageTests(fixture);
