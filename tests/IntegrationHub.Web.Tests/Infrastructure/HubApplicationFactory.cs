using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>The real hub, in memory, on a real relational database (SQLite file or PostgreSQL).</summary>
public sealed class HubApplicationFactory(DatabaseProvider provider, string connectionString, string dataDirectory,
    IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
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
        // Not demo mode unless a test asks for it: Crisp is an unreachable address until a test points it somewhere.
        builder.UseSetting("Crisp:BaseUrl", "http://127.0.0.1:9/v1/");
        builder.UseSetting("Crisp:PluginIdentifier", "test-plugin-identifier");
        builder.UseSetting("Crisp:PluginKey", "test-plugin-key");
        builder.UseSetting("Crisp:PluginId", "5f1d5c4e-7a3b-4c1e-9d2f-0a6b8c3e1f20");
        builder.UseSetting("Crisp:HookSecret", TestHookSecret);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    public HttpClient CreateBrowser() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
}
