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
await app.PrepareAsync();
await app.RunAsync();
return 0;

/// <summary>The hub's entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
