using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>
/// Several hubs with Hangfire workers in one test process. Hangfire's <c>AddHangfire</c> registers the server's
/// <see cref="JobActivator"/> as the process-wide <c>JobActivator.Current</c>, which every host overwrites at start:
/// hub A's jobs would then be built from hub B's container (its database, its Crisp). This gives each host an
/// activator over its own services. (Production runs one host per process, so it is a test-only concern.)
/// </summary>
public static class HangfireIsolation
{
    public static IServiceCollection UseOwnHangfireActivator(this IServiceCollection services) =>
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
}
