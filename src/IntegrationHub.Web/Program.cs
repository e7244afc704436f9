using IntegrationHub.Web.Infrastructure.Cli;
using IntegrationHub.Web.Infrastructure.Hosting;

if (HubCommandLine.IsCommand(args))
{
    return await HubCommandLine.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddHubKeyVaultSecrets();
builder.AddHubServices();

var app = builder.Build();
app.UseHubPipeline();
try
{
    await app.PrepareAsync();
}
catch (IntegrationHub.Web.Infrastructure.Data.DatabaseUnavailableException ex)
{
    // One clear line and a non-zero exit, not a stack trace after a long silence.
    app.Logger.LogCritical("{Error}", ex.Message);
    await app.DisposeAsync(); // flushes the console log
    return 1;
}

await app.RunAsync();
return 0;

/// <summary>The hub's entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
