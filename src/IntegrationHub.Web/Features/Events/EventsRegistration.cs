using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Web.Features.Events;

public static class EventsRegistration
{
    public static WebApplicationBuilder AddHubEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddSingleton<InsertFirstGate>();
        builder.Services.AddSingleton<EventIngestWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EventIngestWriter>());
        // The mapping engine (rules) replaces this; until then accepted events cause no Crisp calls.
        builder.Services.TryAddScoped<IEventActionPlanner, NoRulesPlanner>();
        return builder;
    }
}
