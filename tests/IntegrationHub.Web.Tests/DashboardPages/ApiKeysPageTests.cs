using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.DashboardPages;

public abstract class ApiKeysPageTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    [Fact]
    public async Task Create_Owner_ShowsPlaintextOnceThenNeverAndAudits()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);
        var keys = $"/t/{tenant:D}/keys";

        var response = await PostAsync(client, keys, keys, ("name", "billing backend"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        var plaintext = Regex.Match(html, "value=\"(ihk_[a-z0-9]+_[a-z0-9]+)\"").Groups[1].Value;
        Assert.NotEmpty(plaintext);
        Assert.Contains("shown this once", html, StringComparison.Ordinal);

        // The key works, and no page shows it again.
        Assert.Equal(HttpStatusCode.OK, (await ApiAsync(plaintext)).StatusCode);
        var list = await client.GetStringAsync(keys);
        Assert.Contains("billing backend", list, StringComparison.Ordinal);
        Assert.DoesNotContain(plaintext, list, StringComparison.Ordinal);
        var prefix = plaintext.Split('_')[1];
        Assert.Contains($"ihk_{prefix}_", list, StringComparison.Ordinal);
        Assert.DoesNotContain(plaintext, await client.GetStringAsync($"/t/{tenant:D}/audit"), StringComparison.Ordinal);
        Assert.DoesNotContain(plaintext, await client.GetStringAsync($"/t/{tenant:D}"), StringComparison.Ordinal);

        var entry = Assert.Single(await AuditAsync(tenant));
        Assert.Equal(("owner@acme.example", "apikey.created", prefix, "billing backend"), (entry.Actor, entry.Action, entry.Target, entry.Details));
        Assert.DoesNotContain(plaintext, entry.Details ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutName_Is422WithMessageAndNoKey()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);

        var response = await PostAsync(client, $"/t/{tenant:D}/keys", $"/t/{tenant:D}/keys", ("name", "  "));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Give the key a name", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Empty(await db.ApiKeys.ToListAsync());
        }
    }

    [Theory]
    [InlineData("billing\tbackend")]
    [InlineData("billing\nbackend")]
    [InlineData("billing\u001b[31mbackend")]
    public async Task Create_NameWithControlCharacters_Is422WithMessageAndNoKey(string name)
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);

        var response = await PostAsync(client, $"/t/{tenant:D}/keys", $"/t/{tenant:D}/keys", ("name", name));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("No control characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Empty(await db.ApiKeys.ToListAsync());
        }
    }

    [Fact]
    public async Task Revoke_Owner_KeyGets401AtOnceAndIsAudited()
    {
        var tenant = await Data.TenantAsync("Acme");
        var issued = await Data.ApiKeyAsync(tenant, "backend");
        // A successful check is cached (Api:Auth:CacheSeconds): revoking must evict it on this node.
        Assert.Equal(HttpStatusCode.OK, (await ApiAsync(issued.Plaintext)).StatusCode);
        var client = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);
        var confirm = $"/t/{tenant:D}/keys/{issued.Key.Id:D}/revoke";
        Assert.Contains("Revoke key", await client.GetStringAsync(confirm), StringComparison.Ordinal);

        var html = await FollowAsync(client, await PostAsync(client, confirm, confirm));

        Assert.Contains("revoked", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ApiAsync(issued.Plaintext)).StatusCode);
        var entry = Assert.Single(await AuditAsync(tenant));
        Assert.Equal(("apikey.revoked", issued.Key.Prefix), (entry.Action, entry.Target));
    }

    [Theory]
    [InlineData(TenantRole.Viewer)]
    [InlineData(TenantRole.Editor)]
    public async Task CreateAndRevoke_NonOwner_AreForbiddenListIsReadOnly(TenantRole role)
    {
        var tenant = await Data.TenantAsync("Acme");
        var issued = await Data.ApiKeyAsync(tenant, "backend");
        var client = await MemberAsync(tenant, "member@acme.example", role);
        var keys = $"/t/{tenant:D}/keys";

        var list = await client.GetStringAsync(keys);
        Assert.Contains("backend", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Create key", list, StringComparison.Ordinal);
        Assert.DoesNotContain("/revoke", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, keys, keys, ("name", "mine"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, keys, $"{keys}/{issued.Key.Id:D}/revoke")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"{keys}/{issued.Key.Id:D}/revoke")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await ApiAsync(issued.Plaintext)).StatusCode);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal("backend", Assert.Single(await db.ApiKeys.ToListAsync()).Name);
        }

        Assert.Empty(await AuditAsync(tenant));
    }

    [Fact]
    public async Task Revoke_AnotherTenantsKeyUnderOwnRoute_IsNotFound()
    {
        var tenantA = await Data.TenantAsync("Acme");
        var tenantB = await Data.TenantAsync("Globex");
        var keyOfB = await Data.ApiKeyAsync(tenantB);
        var client = await MemberAsync(tenantA, "owner@acme.example", TenantRole.Owner);

        var response = await PostAsync(client, $"/t/{tenantA:D}/keys", $"/t/{tenantA:D}/keys/{keyOfB.Key.Id:D}/revoke");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApiAsync(keyOfB.Plaintext)).StatusCode);
    }

    private Task<HttpResponseMessage> ApiAsync(string key)
    {
        var api = Hub.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return api.GetAsync("/api/v1/tenant");
    }
}

public sealed class ApiKeysPageTestsOnSqlite(SqliteHubFixture fixture) : ApiKeysPageTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class ApiKeysPageTestsOnPostgres(PostgresHubFixture fixture) : ApiKeysPageTests(fixture);
