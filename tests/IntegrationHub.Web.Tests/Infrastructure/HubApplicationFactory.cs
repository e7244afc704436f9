using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>
/// The real hub, in memory, on a real relational database (SQLite file or PostgreSQL). <paramref name="settings"/>
/// override configuration keys; <paramref name="configure"/> runs last on the web host builder (logging, services).
/// Call <see cref="WebApplicationFactory{TEntryPoint}.UseKestrel(int)"/> before first use for a real loopback address.
/// </summary>
public sealed class HubApplicationFactory(DatabaseProvider provider, string connectionString, string dataDirectory,
    IReadOnlyDictionary<string, string?>? settings = null, Action<IWebHostBuilder>? configure = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public const string TestHookSecret = "test-hook-secret";

    public DatabaseProvider Provider { get; } = provider;

    public string ConnectionString { get; } = connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("ConnectionStrings:Hub", ConnectionString);
        builder.UseSetting("Hub:DataDirectory", dataDirectory);
        builder.UseSetting("Jobs:RunServer", "false");
        // Tests talk plain HTTP to one "client address" and sign in hundreds of times a minute; the security tests
        // switch both back on to prove them.
        builder.UseSetting("Security:SecureCookies", "false");
        builder.UseSetting("Security:LoginAttemptsPerMinute", "1000000");
        // Not demo mode unless a test asks for it: Crisp is an unreachable address until a test points it somewhere.
        builder.UseSetting("Crisp:BaseUrl", "http://127.0.0.1:9/v1/");
        builder.UseSetting("Crisp:PluginIdentifier", "test-plugin-identifier");
        builder.UseSetting("Crisp:PluginKey", "test-plugin-key");
        builder.UseSetting("Crisp:PluginId", "5f1d5c4e-7a3b-4c1e-9d2f-0a6b8c3e1f20");
        builder.UseSetting("Crisp:HookSecret", TestHookSecret);
        // Hundreds of hubs share one test run's console: only what may need a reader reaches it (tests that read
        // logs capture them with a provider of their own).
        builder.UseSetting("Logging:Console:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        // Several hubs run Hangfire workers in this one test process: each must build its jobs from its own services.
        builder.ConfigureTestServices(collection => collection.UseOwnHangfireActivator());
        configure?.Invoke(builder);
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    public HttpClient CreateBrowser() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
}
