using System.Text.Json.Nodes;
using IntegrationHub.BrowserTests.Infrastructure;
using IntegrationHub.CrispSimulator;
using IntegrationHub.CrispSimulator.Admin;
using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.BrowserTests.Journeys;

/// <summary>
/// One hub for all user-story journeys, on loopback with its simulator mounted (no Crisp credentials, like a first
/// run). Retries are short so a dead letter happens within seconds. Each journey installs its own website, so the
/// journeys never see each other's data.
/// </summary>
public sealed class JourneyHub : IAsyncLifetime
{
    public const string Password = "Journey-Password-2026";

    public KestrelHub Hub { get; private set; } = null!;

    public string BaseUrl => Hub.BaseUrl;

    public CrispSimulatorAdmin Simulator => Hub.Services.GetRequiredService<CrispSimulatorAdmin>();

    public CrispSimulatorState SimulatorState => Hub.Services.GetRequiredService<CrispSimulatorState>();

    public Task InitializeAsync()
    {
        Hub = new KestrelHub(new Dictionary<string, string?>
        {
            ["Crisp:PluginIdentifier"] = "",
            ["Crisp:PluginKey"] = "",
            ["Crisp:RetryDelay"] = "00:00:00.050",
            ["Delivery:MaxAttempts"] = "2",
            ["Delivery:RetryBaseDelay"] = "00:00:00.300",
        });
        Hub.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Hub.DisposeAsync();

    /// <summary>Crisp installs the plugin on a new website (signed hook to the hub); returns once the hub has the tenant.
    /// Crisp does not tell plugins a website's name: the tenant is "Website 1a2b3c4d" until its admin names it.</summary>
    public async Task<InstalledWebsite> InstallAsync(string name)
    {
        var website = Simulator.InstallWebsite(Guid.NewGuid().ToString("D"), name, name.ToLowerInvariant().Replace(' ', '-') + ".example");
        var id = Guid.Parse(website.WebsiteId);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await FindTenantAsync(id))?.Status != TenantStatus.Active)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The hub never installed website {id}.");
            }

            await Task.Delay(200);
        }

        return website;
    }

    /// <summary>A website with an owner account, for journeys whose subject is not the install itself.</summary>
    public async Task<(Guid WebsiteId, string OwnerEmail)> WebsiteWithOwnerAsync(string name)
    {
        var website = await InstallAsync(name);
        var id = Guid.Parse(website.WebsiteId);
        var email = $"owner-{id:N}@example.com";
        await UserAsync(email, id, TenantRole.Owner);
        await using var scope = Hub.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(id);
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        (await db.Tenants.SingleAsync(t => t.Id == id)).Name = name; // as if the admin had named it in the settings
        await db.SaveChangesAsync();
        return (id, email);
    }

    public async Task UserAsync(string email, Guid tenantId, TenantRole role)
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
        var user = new HubUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        db.Memberships.Add(new TenantMembership { Id = Guid.NewGuid(), UserId = user.Id, Role = role, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    public async Task<string> ApiKeyAsync(Guid tenantId)
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
        return (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("journey backend", CancellationToken.None)).Plaintext;
    }

    public async Task<Tenant?> FindTenantAsync(Guid id)
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tenants.AcrossTenants().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id);
    }

    /// <summary>A snapshot of what the simulated Crisp holds for a contact of a website.</summary>
    public CrispContact Contact(Guid websiteId, string email) => SimulatorState.Read(state =>
    {
        var website = state.FindWebsite(websiteId.ToString("D"))!;
        var person = website.People.FirstOrDefault(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase));
        var conversation = website.Conversations.FirstOrDefault(c => string.Equals(c.Meta.Email, email, StringComparison.OrdinalIgnoreCase));
        return new CrispContact(
            person?.Events.Select(e => e.Text).ToList() ?? [],
            (JsonObject?)person?.Data.DeepClone(),
            (JsonObject?)conversation?.Meta.Data.DeepClone());
    });

    public int JournalCount(Guid websiteId, string method, string pathContains) =>
        SimulatorState.GetJournal(websiteId.ToString("D")).Count(e => e.Method == method && e.Path.Contains(pathContains, StringComparison.Ordinal));
}

public sealed record CrispContact(IReadOnlyList<string> PeopleEvents, JsonObject? PeopleData, JsonObject? SessionData);
