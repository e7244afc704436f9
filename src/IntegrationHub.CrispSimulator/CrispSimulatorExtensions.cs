using IntegrationHub.CrispSimulator.Admin;
using IntegrationHub.CrispSimulator.Campaigns;
using IntegrationHub.CrispSimulator.Conversations;
using IntegrationHub.CrispSimulator.Helpdesk;
using IntegrationHub.CrispSimulator.Hooks;
using IntegrationHub.CrispSimulator.Infrastructure;
using IntegrationHub.CrispSimulator.People;
using IntegrationHub.CrispSimulator.Plugin;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.CrispSimulator;

/// <summary>Wiring: standalone (<see cref="SimulatorProgram"/>) or mounted in the hub (offline demo mode).</summary>
public static class CrispSimulatorExtensions
{
    /// <summary>
    /// Registers the simulator state (<see cref="CrispSimulatorState"/>), the in-process admin commands
    /// (<see cref="CrispSimulatorAdmin"/>), the pipeline and the hook delivery worker; binds section <c>Simulator</c>.
    /// </summary>
    public static IServiceCollection AddCrispSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>()
            .Bind(configuration.GetSection(SimulatorOptions.SectionName))
            .Validate(o => !string.IsNullOrEmpty(o.PluginIdentifier) && !string.IsNullOrEmpty(o.PluginKey), "Simulator plugin keypair is required.")
            .Validate(o => Guid.TryParse(o.PluginId, out _), "Simulator:PluginId must be a UUID.")
            .Validate(o => !string.IsNullOrEmpty(o.HookSecret), "Simulator:HookSecret is required.")
            .Validate(o => o.HookAttemptLimit >= 1, "Simulator:HookAttemptLimit must be >= 1.")
            .Validate(o => o.HookRetryBackoffBase >= TimeSpan.Zero && o.HookTimeout > TimeSpan.Zero, "Simulator hook timings must be positive.")
            .Validate(o => o.DefaultRequestsPerMinute >= 0 && o.DailyQuota >= 0, "Simulator limits must be >= 0.")
            .Validate(o => o.MinPerPage >= 1 && o.MinPerPage <= o.MaxPerPage && o.DefaultPerPage >= 1, "Simulator paging sizes are inconsistent.")
            .Validate(o => o.LegacyHelpdeskWriteStatus is >= 400 and <= 499, "Simulator:LegacyHelpdeskWriteStatus must be 4xx.")
            .Validate(o => string.IsNullOrEmpty(o.HookUrl) || Uri.TryCreate(o.HookUrl, UriKind.Absolute, out _), "Simulator:HookUrl must be absolute.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CrispSimulatorState>();
        services.AddSingleton<CrispPipeline>();
        services.AddSingleton<CrispSimulatorAdmin>();
        services.AddHostedService<HookDeliveryWorker>();
        // The simulator counts its own attempts: no resilience handler (retries) a host may add to every client.
#pragma warning disable EXTEXP0001 // experimental API; the only way to opt one client out of ConfigureHttpClientDefaults
        services.AddHttpClient(HookDeliveryWorker.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return services;
    }

    /// <summary>
    /// Maps the REST API under <c>{prefix}/v1/…</c> and the admin API under <c>{prefix}/_sim/…</c>.
    /// The hub mounts it with <c>"/crisp-sim"</c>, making the client base URL <c>http://host/crisp-sim/v1/</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapCrispSimulator(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        var normalized = "/" + (prefix ?? "").Trim().Trim('/');
        normalized = normalized == "/" ? "" : normalized;

        var api = new CrispRoutes(endpoints, normalized);
        PluginEndpoints.Map(api);
        PeopleEndpoints.Map(api);
        ConversationEndpoints.Map(api);
        HelpdeskEndpoints.Map(api);
        KbTreeEndpoints.Map(api);
        KbHistory.Map(api);
        LegacyHelpdeskEndpoints.Map(api);
        CampaignEndpoints.Map(api);
        // Unknown REST routes: still authenticated and journaled, then 404 not_found.
        api.Map("/{**unknown}", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete],
            CrispRoutes.AnyTier, _ => throw CrispApiException.NotFound());

        AdminEndpoints.Map(new AdminRoutes(endpoints, normalized));
        return endpoints;
    }
}
