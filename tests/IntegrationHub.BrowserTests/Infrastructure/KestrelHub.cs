using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace IntegrationHub.BrowserTests.Infrastructure;

/// <summary>
/// The hub on a real loopback port (a browser needs one), on its own SQLite file. Demo mode unless settings say
/// otherwise, so the simulator is mounted like on a developer's first run. Optionally serves extra static folders
/// (test pages) next to the hub's own files.
/// </summary>
public sealed class KestrelHub : WebApplicationFactory<Program>
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("hub-browser-").FullName;
    private readonly Dictionary<string, string?> _settings;
    private readonly Dictionary<string, string> _staticFolders;

    public KestrelHub(IDictionary<string, string?>? settings = null, IDictionary<string, string>? staticFolders = null)
    {
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        _staticFolders = new Dictionary<string, string>(staticFolders ?? new Dictionary<string, string>());
        UseKestrel(0);
    }

    public string BaseUrl => ClientOptions.BaseAddress.ToString().TrimEnd('/');

    public void Start() => StartServer();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", nameof(DatabaseProvider.Sqlite));
        builder.UseSetting("ConnectionStrings:Hub", $"Data Source={Path.Combine(_dataDirectory, "hub.db")}");
        builder.UseSetting("Hub:DataDirectory", _dataDirectory);
        // Journeys sign in often from one loopback address while the demo website is still arriving.
        builder.UseSetting("Security:LoginAttemptsPerMinute", "100000");
        // The test run's console is shared by every journey: only warnings and errors reach it.
        builder.UseSetting("Logging:Console:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new StaticFoldersFilter(_staticFolders)));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle may still be closing; the temp folder is harmless.
        }
    }

    private sealed class StaticFoldersFilter(IReadOnlyDictionary<string, string> folders) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            foreach (var (requestPath, folder) in folders)
            {
                app.UseStaticFiles(new StaticFileOptions { RequestPath = requestPath, FileProvider = new PhysicalFileProvider(folder) });
            }

            next(app);
        };
    }
}
