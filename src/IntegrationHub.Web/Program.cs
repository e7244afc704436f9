using IntegrationHub.Web.Infrastructure.Cli;
using IntegrationHub.Web.Infrastructure.Hosting;
using Microsoft.Extensions.Options;

if (HubCommandLine.IsCommand(args))
{
    return await HubCommandLine.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
WebApplication app;
try
{
    builder.Configuration.AddHubKeyVaultSecrets();
    builder.AddHubServices();
    app = builder.Build();
}
catch (Exception ex) when (StartupRefusal.Messages(ex) is [_, ..] messages)
{
    // Some settings are read while the services are registered (the database provider, Jobs:RunServer): a value
    // of the wrong type there is as much a refusal as one found later, but there is no host yet to log it.
    StartupRefusal.LogBeforeHost(builder.Configuration, messages);
    return 1;
}

try
{
    // Settings that name nonsense stop start-up here, before the pipeline reads them or the database is touched
    // (the host would check them again when it starts, but only after migrating, and as a stack trace).
    app.Services.GetRequiredService<IStartupValidator>().Validate();
    await app.WaitForDatabaseAsync(); // a server database only: the pipeline's job storage connects to it
    // Migrations are checked (or applied) before the pipeline is built: building it makes Hangfire's storage, which
    // creates its schema at once, so a database refused as unmigrated was left with a hangfire schema in it.
    await app.PrepareAsync();
    app.UseHubPipeline();
}
catch (Exception ex) when (StartupRefusal.Messages(ex) is [_, ..] messages)
{
    // One clear line per problem and a non-zero exit, not a stack trace (after a long silence).
    foreach (var message in messages)
    {
        app.Logger.LogCritical("{Error}", message);
    }

    await app.DisposeAsync(); // flushes the console log
    return 1;
}

var backgroundServices = HostExitCode.Watch(app.Services);
var urls = app.Configuration["Urls"] ?? "its addresses";
var started = false;
app.Lifetime.ApplicationStarted.Register(() => started = true);
try
{
    await app.RunAsync();
}
catch (Exception ex) when (!started && ex.Source is "Microsoft.AspNetCore.Server.Kestrel.Core" or "Microsoft.AspNetCore.Http")
{
    // The server could not listen (a malformed Urls / --urls value, a port in use, https without a certificate):
    // the operator's setting, not a bug — one line and exit 1 instead of a crash with a stack trace.
    Console.Error.WriteLine($"The hub cannot listen on {urls} (Urls, --urls): {ex.Message}");
    return 1;
}

return HostExitCode.After(backgroundServices);

/// <summary>The hub's entry point; public so integration tests can host it with WebApplicationFactory.</summary>
public partial class Program;
