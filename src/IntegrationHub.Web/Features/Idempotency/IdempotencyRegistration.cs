namespace IntegrationHub.Web.Features.Idempotency;

public static class IdempotencyRegistration
{
    public static WebApplicationBuilder AddHubIdempotency(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<IdempotencyStore>();
        return builder;
    }
}
