using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.CrispSimulator.Tests.Support;

/// <summary>
/// A real simulator on loopback (<c>http://127.0.0.1:0</c>), mounted like the hub does: AddCrispSimulator + MapCrispSimulator.
/// One per test class (class fixture), so knobs changed by one class never leak into another.
/// </summary>
public class SimulatorHost : IAsyncLifetime
{
    public const string PluginIdentifier = "sim-plugin-identifier";
    public const string PluginKey = "sim-plugin-key";

    private WebApplication? _app;

    protected virtual string Prefix => "";

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public CrispSimulatorState State => _app!.Services.GetRequiredService<CrispSimulatorState>();

    public SimulatorOptions Options => State.Options;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        foreach (var (key, value) in Settings)
        {
            builder.Configuration[key] = value;
        }

        ConfigureServices(builder.Services);
        builder.Services.AddCrispSimulator(builder.Configuration);
        _app = builder.Build();
        ConfigurePipeline(_app);
        _app.MapCrispSimulator(Prefix);
        MapExtra(_app);
        await _app.StartAsync();
        var address = _app.Urls.Single();
        BaseAddress = new Uri(address.TrimEnd('/') + Prefix + "/");
    }

    /// <summary>Lets a derived host register services first (e.g. a fake TimeProvider).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Lets a derived host add middleware before the simulator is mapped (as the hub does).</summary>
    protected virtual void ConfigurePipeline(WebApplication app)
    {
    }

    /// <summary>Lets a derived host add routes (e.g. a deliberately failing one) next to the simulator.</summary>
    protected virtual void MapExtra(WebApplication app)
    {
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>A client authenticated with the plugin keypair (<c>X-Crisp-Tier: plugin</c>).</summary>
    public SimClient Plugin() => Client(PluginIdentifier, PluginKey, "plugin");

    public SimClient Client(string? identifier, string? key, string? tier)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (identifier is not null)
        {
            http.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{identifier}:{key}")));
        }

        if (tier is not null)
        {
            http.DefaultRequestHeaders.Add("X-Crisp-Tier", tier);
        }

        return new SimClient(http);
    }

    /// <summary>Unauthenticated client for the admin API (<c>_sim/…</c>).</summary>
    public SimClient Admin() => Client(null, null, null);

    /// <summary>Installs the plugin on a fresh website and answers its id.</summary>
    public async Task<string> InstallWebsiteAsync(object? settings = null)
    {
        var websiteId = Guid.NewGuid().ToString();
        using var admin = Admin();
        var response = await admin.SendAsync(HttpMethod.Post, "_sim/websites", new
        {
            website_id = websiteId,
            name = "Acme " + websiteId[..8],
            domain = "acme.test",
            settings = settings ?? new { },
        });
        Assert.Equal(201, response.Status);
        return websiteId;
    }
}

public sealed class PrefixedSimulatorHost : SimulatorHost
{
    protected override string Prefix => "/crisp-sim";
}
