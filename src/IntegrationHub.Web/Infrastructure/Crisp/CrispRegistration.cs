using IntegrationHub.Crisp;
using IntegrationHub.CrispSimulator;
using IntegrationHub.CrispSimulator.Hooks;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Crisp;

public static class CrispRegistration
{
    /// <summary>
    /// The Crisp client, aimed at Crisp when plugin credentials are configured, otherwise at the simulator mounted
    /// in this process (demo mode). With credentials the simulator is not registered at all.
    /// </summary>
    public static WebApplicationBuilder AddHubCrisp(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CrispPluginOptions>().BindConfiguration(CrispPluginOptions.Section);
        var plugin = builder.Configuration.GetSection(CrispPluginOptions.Section).Get<CrispPluginOptions>() ?? new CrispPluginOptions();
        var mode = new HubCrispMode(IsDemo: !plugin.HasCredentials);
        builder.Services.AddSingleton(mode);
        builder.Services.AddSingleton<SelfAddress>();
        builder.Services.AddTransient<SelfAddressHandler>();
        builder.Services.AddSingleton<PluginIdentity>();

        var client = builder.Services.AddCrispClient();
        if (!mode.IsDemo)
        {
            builder.Services.Configure<CrispClientOptions>(options =>
            {
                options.BaseUrl = plugin.BaseUrl;
                options.Identifier = plugin.PluginIdentifier;
                options.Key = plugin.PluginKey;
                options.Tier = CrispCredentials.PluginTier;
            });
            return builder;
        }

        builder.Services.AddCrispSimulator(builder.Configuration);
        // The simulator's hooks come back to this server's /crisp/hooks, like Crisp's would.
        builder.Services.PostConfigure<SimulatorOptions>(options =>
        {
            if (string.IsNullOrEmpty(options.HookUrl))
            {
                options.HookUrl = $"http://{HubCrispMode.SelfHost}/crisp/hooks";
            }
        });
        builder.Services.AddHttpClient(HookDeliveryWorker.HttpClientName).AddHttpMessageHandler<SelfAddressHandler>();
        client.AddHttpMessageHandler<SelfAddressHandler>();
        builder.Services.AddOptions<CrispClientOptions>().Configure<IOptions<SimulatorOptions>>((options, simulator) =>
        {
            options.BaseUrl = new Uri($"http://{HubCrispMode.SelfHost}{HubCrispMode.SimulatorPrefix}/v1/");
            options.Identifier = simulator.Value.PluginIdentifier;
            options.Key = simulator.Value.PluginKey;
            options.Tier = CrispCredentials.PluginTier;
        });
        builder.Services.AddHttpClient(DemoModeBootstrapper.HttpClientName).AddHttpMessageHandler<SelfAddressHandler>();
        builder.Services.AddSingleton<DemoHandAddedWebsites>();
        // One instance, resolvable by type: the recurring-jobs scheduler waits for it before any sync can run.
        builder.Services.AddSingleton<DemoModeBootstrapper>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DemoModeBootstrapper>());
        return builder;
    }

    public static WebApplication MapHubCrisp(this WebApplication app)
    {
        if (app.Services.GetRequiredService<HubCrispMode>().IsDemo)
        {
            app.MapCrispSimulator(HubCrispMode.SimulatorPrefix);
        }

        return app;
    }
}
