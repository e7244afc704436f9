using IntegrationHub.Crisp;
using IntegrationHub.Web.Features.Delivery.Executors;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Delivery;

public static class DeliveryRegistration
{
    /// <summary>The outbox, the per-tenant drains, the dispatcher loop (on nodes running Hangfire workers) and the
    /// permit gate inside the Crisp client, so every attempt it makes is counted against the tenant's budget.</summary>
    public static WebApplicationBuilder AddHubDelivery(this WebApplicationBuilder builder, bool runJobs)
    {
        builder.Services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section)
            .Configure<IConfiguration>(LegacyMaxBudget.Apply)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        builder.Services.AddScoped<CrispCallOutbox>();
        builder.Services.AddScoped<CrispCallExecutor>();
        builder.Services.AddScoped<PluginQuota>();
        builder.Services.AddScoped<DeliveryDrain>();
        builder.Services.AddScoped<DeliveryDispatcher>();
        builder.Services.AddScoped<DeliveryAdmin>();
        builder.Services.AddTransient<DeliveryPermitHandler>();
        // The client's per-attempt timeout and single-retry delay, from Crisp:Timeout / Crisp:RetryDelay when set.
        // With the default 1 s delay, the client's retry of a 5xx comes after the drain's permit validity: the call
        // is then recorded as failed and retried by the engine's own back-off, which owns retries.
        builder.Services.Configure<CrispClientOptions>(options =>
        {
            options.Timeout = builder.Configuration.GetValue("Crisp:Timeout", options.Timeout);
            options.RetryDelay = builder.Configuration.GetValue("Crisp:RetryDelay", options.RetryDelay);
        });
        // Added after the client's resilience handler, so it runs inside it and sees every attempt.
        builder.Services.AddHttpClient<CrispClient>().AddHttpMessageHandler<DeliveryPermitHandler>();
        if (runJobs && builder.Configuration.GetValue("Jobs:RunServer", true))
        {
            builder.Services.AddHostedService<DeliveryDispatchLoop>();
        }

        return builder;
    }
}
