using System.Net;
using IntegrationHub.Web.Features.Audit;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.DashboardPages;

/// <summary>Signed-in browsers for a tenant's members, and outbox rows seeded the way the engine writes them.</summary>
public abstract class DashboardPageTestBase(IHubFixture fixture) : HubTestBase(fixture)
{
    protected async Task<HttpClient> MemberAsync(Guid tenant, string email, TenantRole role)
    {
        await Data.UserAsync(email, tenant, role);
        return await SignInAsync(email);
    }

    protected async Task<HttpClient> SignInAsync(string email, string password = TestData.Password)
    {
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, email, password);
        return client;
    }

    protected static Task<HttpResponseMessage> PostAsync(HttpClient client, string formPage, string action, params (string Key, string Value)[] fields) =>
        Browser.SubmitAsync(client, formPage, action, fields.ToDictionary(f => f.Key, f => f.Value));

    protected static async Task<string> FollowAsync(HttpClient client, HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        return await client.GetStringAsync(redirect.Headers.Location);
    }

    /// <summary>One Crisp call through the real outbox, then moved to the status (and age) a test needs.</summary>
    protected async Task<long> CallAsync(Guid tenant, CrispCallStatus status, string email = "ada@example.com", Guid? eventId = null,
        DateTimeOffset? createdAt = null, string kind = CrispCallKinds.PeopleEventAdd, string? reason = null)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var call = scope.ServiceProvider.GetRequiredService<CrispCallOutbox>()
                .Enqueue(kind, new { email, text = "Paid" }, email, eventId);
            call.Status = status;
            if (status == CrispCallStatus.Dead)
            {
                call.Attempts = 1;
                call.FailedAttempts = 1;
                call.LastHttpStatus = 400;
                call.LastReason = reason ?? "invalid_data";
                call.LastError = "Crisp refused the data";
                call.CompletedAt = DateTimeOffset.UtcNow;
            }

            if (createdAt is { } at)
            {
                call.CreatedAt = at;
            }

            await db.SaveChangesAsync();
            return call.Id;
        }
    }

    protected async Task<Guid> EventAsync(Guid tenant, string name)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var evt = new ProductEvent
            {
                Id = Guid.NewGuid(),
                Name = name,
                Email = "ada@example.com",
                ContentHash = new string('0', 64),
                OccurredAt = DateTimeOffset.UtcNow,
                AcceptedAt = DateTimeOffset.UtcNow,
            };
            db.Set<ProductEvent>().Add(evt);
            await db.SaveChangesAsync();
            return evt.Id;
        }
    }

    protected async Task<Dictionary<long, CrispCallStatus>> StatusesAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return await db.Set<CrispCall>().ToDictionaryAsync(c => c.Id, c => c.Status);
        }
    }

    protected async Task<List<AuditEntry>> AuditAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return await db.Set<AuditEntry>().OrderBy(a => a.Id).ToListAsync();
        }
    }
}
