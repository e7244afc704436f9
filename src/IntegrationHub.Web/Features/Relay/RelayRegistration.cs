using System.Net;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Relay;

public static class RelayRegistration
{
    public static WebApplicationBuilder AddHubRelay(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero && o.LeaseDuration > o.Timeout, "Relay:Timeout must be positive and Relay:LeaseDuration longer than it.")
            .Validate(o => o.DisableAfter > TimeSpan.Zero && o.SecretOverlap >= TimeSpan.Zero, "Relay:DisableAfter must be positive and Relay:SecretOverlap not negative.")
            .Validate(o => o.BatchSize >= 1 && o.MaxEndpointsPerTenant >= 1, "Relay:BatchSize and Relay:MaxEndpointsPerTenant must be at least 1.")
            .Validate(o => o.DrainParallelism >= 1 && o.PollInterval > TimeSpan.Zero && o.DrainBudget > TimeSpan.Zero, "Relay:DrainParallelism must be at least 1, Relay:PollInterval and Relay:DrainBudget positive.")
            .Validate(o => o.Retention >= RelayOptions.MinRetention,
                $"Relay:Retention must be at least {RelayOptions.MinRetention.TotalDays:0} days: a failed delivery must stay visible and replayable past its retries.")
            .ValidateOnStart();
        builder.Services.AddScoped<RelayService>();
        builder.Services.AddScoped<RelaySender>();
        builder.Services.AddScoped<RelayRetention>();
        builder.Services.AddHttpClient(RelaySender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                var options = services.GetRequiredService<IOptions<RelayOptions>>();
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    UseProxy = false,
                    AutomaticDecompression = DecompressionMethods.None,
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectCallback = (context, cancellationToken) => RelaySsrfGuard.ConnectAsync(context, options.Value.AllowPrivateTargets, cancellationToken),
                };
            });
        return builder;
    }
}
