using IntegrationHub.Security;
using IntegrationHub.Web.Infrastructure.Hosting;

namespace IntegrationHub.Web.Features.Credentials;

public static class CredentialsRegistration
{
    public static WebApplicationBuilder AddHubCredentials(this WebApplicationBuilder builder)
    {
        builder.Services.AddKeyManagement(builder.Configuration, DataDirectory.Resolve(builder.Configuration, builder.Environment));
        builder.Services.AddSingleton<DataKeyCache>();
        builder.Services.AddScoped<TenantSecrets>();
        builder.Services.AddScoped<KeyMaintenance>();
        return builder;
    }
}
