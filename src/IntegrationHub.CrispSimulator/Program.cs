namespace IntegrationHub.CrispSimulator;

// Not top-level statements: a global `Program` would collide with the hub's own in WebApplicationFactory<Program>.
public static class SimulatorProgram
{
    public static Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/", () => "Crisp simulator");
        return app.RunAsync();
    }
}
