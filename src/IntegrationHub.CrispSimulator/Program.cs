namespace IntegrationHub.CrispSimulator;

// Not top-level statements: a global `Program` would collide with the hub's own in WebApplicationFactory<Program>.
// A sealed class rather than a static one so that tests can use WebApplicationFactory<SimulatorProgram>.
public sealed class SimulatorProgram
{
    private SimulatorProgram()
    {
    }

    public static Task Main(string[] args) => BuildApp(args).RunAsync();

    /// <summary>The standalone host: <c>dotnet run --project src/IntegrationHub.CrispSimulator --urls http://127.0.0.1:5090</c>.</summary>
    public static WebApplication BuildApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.Services.AddCrispSimulator(builder.Configuration);

        var app = builder.Build();
        app.UseExceptionHandler(error => error.Run(Infrastructure.CrispResult.Fail(500, "internal_error").ExecuteAsync));
        app.MapGet("/", () => "Crisp simulator: REST API under /v1, admin API under /_sim (see README.md).").ExcludeFromDescription();
        app.MapCrispSimulator();
        return app;
    }
}
