using Hangfire;
using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Drills;

/// <summary>A tenant the drill posts events for: its website id and its backend's API key.</summary>
public sealed record DrillTenant(Guid Id, string Name, string ApiKey);

/// <summary>
/// Prepares a drill database with the hub's own services, in process and without workers: migrations, Hangfire's
/// schema (so nodes starting together do not race to create it), tenants installed in the simulator, an API key
/// each, and a rule that turns every <c>drill.*</c> event into one people event whose text is the event's
/// <c>message_id</c> — so the simulator's journal says which event each delivery came from.
/// </summary>
public sealed class DrillSeeder(string connectionString, string dataDirectory, DrillSimulator simulator) : WebApplicationFactory<Program>
{
    public const string EventName = "drill.ping";

    /// <summary>Every accepted event plans exactly this many outbox calls (the one rule, one action).</summary>
    public const int CallsPerEvent = 1;

    public static async Task<List<DrillTenant>> SeedAsync(string connectionString, string dataDirectory, DrillSimulator simulator, int tenants)
    {
        await using var seeder = new DrillSeeder(connectionString, dataDirectory, simulator);
        _ = seeder.Services.GetRequiredService<JobStorage>(); // creates the hangfire schema
        var created = new List<DrillTenant>();
        for (var i = 0; i < tenants; i++)
        {
            created.Add(await seeder.AddTenantAsync($"Drill{i}"));
        }

        return created;
    }

    private async Task<DrillTenant> AddTenantAsync(string name)
    {
        var id = Guid.NewGuid();
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TenantDirectory>().AddManualAsync(id, name, null, CancellationToken.None);
        }

        simulator.Install(id, name);
        await using var tenantScope = Services.CreateAsyncScope();
        tenantScope.ServiceProvider.GetRequiredService<TenantContext>().Use(id);
        var key = await tenantScope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("drill", CancellationToken.None);
        var rule = await tenantScope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync("drill: one people event per event", new RuleDefinition
        {
            Trigger = "drill.*",
            Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "{{ properties.mid }}" }],
        }, "drill", CancellationToken.None);
        if (!rule.Succeeded)
        {
            throw new InvalidOperationException("The drill rule was refused: " + string.Join("; ", rule.Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
        }

        return new DrillTenant(id, name, key.Plaintext);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in HubNodeSettings.Common(connectionString, dataDirectory, simulator))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("Jobs:RunServer", "false");
        builder.ConfigureLogging(logging => logging.ClearProviders());
    }
}
