using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.ApiKeys;

public abstract class ApiKeyAuthenticationTests(IHubFixture fixture) : HubTestBase(fixture)
{
    [Fact]
    public async Task Request_WithValidKey_ActsForTheKeysTenant()
    {
        var tenant = await Data.TenantAsync("Acme");
        var key = await Data.ApiKeyAsync(tenant);

        var response = await Send(key.Plaintext);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(tenant.ToString("D"), json.RootElement.GetProperty("website_id").GetString());
        Assert.Equal("active", json.RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    [InlineData("Bearer ihk_nope_nope")]
    [InlineData("Bearer not-even-shaped-like-a-key")]
    public async Task Request_WithMissingOrBadKey_Gets401Problem(string? authorization)
    {
        await Data.TenantAsync();
        var client = Hub.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenant");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Request_WithRightPrefixButWrongSecret_Gets401()
    {
        var key = await Data.ApiKeyAsync(await Data.TenantAsync());
        var forged = $"{ApiKeyService.KeyPrefix}{key.Key.Prefix}_{new string('a', 52)}";
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(forged)).StatusCode);
    }

    [Fact]
    public async Task Request_WithRevokedKey_Gets401()
    {
        var tenant = await Data.TenantAsync();
        var key = await Data.ApiKeyAsync(tenant);
        await using (var scope = Hub.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant);
            Assert.True(await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(key.Key.Id, CancellationToken.None));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(key.Plaintext)).StatusCode);
    }

    [Fact]
    public async Task Request_WithKeyRevokedAfterUse_Gets401AtOnceDespiteTheCache()
    {
        var tenant = await Data.TenantAsync();
        var key = await Data.ApiKeyAsync(tenant);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await Send(key.Plaintext)).StatusCode);
        Assert.True(ApiKeyService.TryAuthenticateCached(key.Plaintext, Hub.Services.GetRequiredService<ApiKeyCache>(), out _));

        await using (var scope = Hub.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant);
            Assert.True(await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(key.Key.Id, CancellationToken.None));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(key.Plaintext)).StatusCode);
    }

    [Fact]
    public async Task ConcurrentFirstRequests_AllAuthenticate()
    {
        var tenant = await Data.TenantAsync();
        var key = await Data.ApiKeyAsync(tenant);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Send(key.Plaintext)));

        Assert.All(answers, a => Assert.NotEqual(HttpStatusCode.Unauthorized, a.StatusCode));
    }

    [Fact]
    public async Task Request_ForUninstalledTenant_Gets401()
    {
        var tenant = await Data.TenantAsync();
        var key = await Data.ApiKeyAsync(tenant);
        await Data.SetStatusAsync(tenant, TenantStatus.Uninstalled);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(key.Plaintext)).StatusCode);
    }

    [Fact]
    public async Task Key_IsStoredOnlyAsHash_AndRecordsLastUse()
    {
        var tenant = await Data.TenantAsync();
        var key = await Data.ApiKeyAsync(tenant);
        await Send(key.Plaintext);
        await Hub.Services.GetRequiredService<ApiKeyUsage>().FlushAsync(CancellationToken.None);

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var row = await db.ApiKeys.SingleAsync();
            Assert.Equal(ApiKeyService.Hash(key.Plaintext), row.SecretHash);
            Assert.DoesNotContain(key.Plaintext[^20..], row.SecretHash, StringComparison.Ordinal);
            Assert.NotNull(row.LastUsedAt);
        }
    }

    [Fact]
    public async Task Request_WhileTheKeysRowIsLocked_AnsweredAtOnce_LastUseRecordedAfterwards()
    {
        var tenant = await Data.TenantAsync();
        var key = await Data.ApiKeyAsync(tenant);

        // Another writer holds the key's row (PostgreSQL) or the database's write lock (SQLite): a revocation being
        // saved, a long commit. Recording the use inside the request waited for it and answered 503 after the
        // command timeout; the request needs only reads.
        var (lockScope, lockDb) = OpenScope(tenant);
        await using (lockScope)
        {
            await using var transaction = await lockDb.Database.BeginTransactionAsync();
            await lockDb.ApiKeys.Where(k => k.Prefix == key.Key.Prefix).ExecuteUpdateAsync(s => s.SetProperty(k => k.Name, k => k.Name));

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var client = Hub.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tenant", timeout.Token)).StatusCode);
        }

        await Hub.Services.GetRequiredService<ApiKeyUsage>().FlushAsync(CancellationToken.None);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.NotNull((await db.ApiKeys.SingleAsync()).LastUsedAt);
        }
    }

    private Task<HttpResponseMessage> Send(string key)
    {
        var client = Hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.GetAsync("/api/v1/tenant");
    }
}

public sealed class ApiKeyAuthenticationTestsOnSqlite(SqliteHubFixture fixture) : ApiKeyAuthenticationTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class ApiKeyAuthenticationTestsOnPostgres(PostgresHubFixture fixture) : ApiKeyAuthenticationTests(fixture);
