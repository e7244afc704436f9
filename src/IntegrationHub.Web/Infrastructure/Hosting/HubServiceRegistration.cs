using IntegrationHub.Web.Infrastructure.Security;
using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.Audit;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Features.Helpdesk;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Idempotency;
using IntegrationHub.Web.Features.CrispSettings;
using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Features.Health;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Api;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Errors;
using IntegrationHub.Web.Infrastructure.Jobs;
using IntegrationHub.Web.Infrastructure.Web;

namespace IntegrationHub.Web.Infrastructure.Hosting;

public static class HubServiceRegistration
{
    /// <summary>Everything the hub registers, shared by the server and the command-line verbs.</summary>
    public static WebApplicationBuilder AddHubServices(this WebApplicationBuilder builder, bool forCommandLine = false)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<HubOptions>().BindConfiguration(HubOptions.Section);
        builder.Services.AddOutgoingHttpWithoutUrlLogging();

        builder.AddHubDatabase();
        builder.AddHubCrisp();
        builder.AddHubCredentials();
        builder.AddHubIdentity();
        builder.AddHubSecurity();
        builder.AddHubErrors();
        builder.AddHubApi();
        builder.AddHubDashboard();
        builder.AddHubJobs(runServer: !forCommandLine);
        builder.AddHubHealthChecks();

        builder.AddHubInstallations(runJobs: !forCommandLine);
        builder.AddHubHooks();
        builder.AddHubIdempotency();
        builder.AddHubEvents();
        builder.Services.AddOptions<CrispSettingsOptions>().BindConfiguration(CrispSettingsOptions.Section);
        builder.AddHubDelivery(runJobs: !forCommandLine);
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<Features.Members.MemberInvitations>();
        builder.AddHubRules();
        builder.AddHubRelay();
        builder.AddHubHelpdesk();
        builder.Services.AddScoped<Features.Reports.TenantMetrics>();
        builder.Services.AddScoped<TenantDirectory>();
        builder.Services.AddScoped<ApiKeyService>();
        builder.Services.AddOptions<ApiKeyAuthOptions>().BindConfiguration(ApiKeyAuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddSingleton<ApiKeyUsage>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ApiKeyUsage>());
        builder.Services.AddScoped<HubAdministratorBootstrapper>();
        return builder;
    }
}
