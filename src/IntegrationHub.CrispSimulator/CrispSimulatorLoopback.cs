namespace IntegrationHub.CrispSimulator;

/// <summary>
/// The simulator on a free loopback port inside the calling process — for tests, benchmarks and drills that want
/// Crisp next to them rather than a standalone <see cref="SimulatorProgram"/>. The caller stops and disposes it.
/// </summary>
public static class CrispSimulatorLoopback
{
    /// <param name="settings">Configuration keys (<c>Simulator:*</c>) applied over the defaults.</param>
    /// <param name="configurePipeline">Middleware that must run before the simulator's routes (e.g. a test interceptor).</param>
    public static async Task<WebApplication> StartAsync(
        IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<WebApplication>? configurePipeline = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        foreach (var (key, value) in settings ?? [])
        {
            builder.Configuration[key] = value;
        }

        builder.Services.AddCrispSimulator(builder.Configuration);
        var app = builder.Build();
        configurePipeline?.Invoke(app);
        app.MapCrispSimulator();
        await app.StartAsync();
        return app;
    }

    /// <summary>The address the simulator listens on, with a trailing slash.</summary>
    public static Uri RootOf(WebApplication app) => new(app.Urls.Single().TrimEnd('/') + "/");
}
