using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator;
using IntegrationHub.CrispSimulator.Journal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Crisp.Tests.Contract;

/// <summary>
/// The real Crisp simulator on loopback (<c>http://127.0.0.1:0</c>), mounted the way the hub mounts it
/// (AddCrispSimulator + MapCrispSimulator under a prefix), and a <see cref="CrispClient"/> built by the real
/// <see cref="CrispServiceCollectionExtensions.AddCrispClient"/> pointed at it. One per test class, so the global
/// knobs (quota, faults) one class turns never reach another; each test installs its own website.
/// </summary>
public class CrispSimulatorFixture : IAsyncLifetime
{
    public const string Prefix = "/crisp-sim";

    private static readonly JsonSerializerOptions AdminJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private WebApplication? _app;
    private ServiceProvider? _clientServices;

    /// <summary>Simulator settings (section <c>Simulator</c>) this fixture starts with.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Client with the simulator's plugin keypair (plugin tier).</summary>
    public CrispClient Client { get; private set; } = null!;

    /// <summary>Unauthenticated client of the simulator's admin API (<c>{prefix}/_sim/</c>).</summary>
    public HttpClient Admin { get; private set; } = null!;

    public Uri ApiBaseUrl { get; private set; } = null!;

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

        builder.Services.AddCrispSimulator(builder.Configuration);
        _app = builder.Build();
        _app.MapCrispSimulator(Prefix);
        await _app.StartAsync();

        var root = _app.Urls.Single().TrimEnd('/') + Prefix;
        ApiBaseUrl = new Uri(root + "/v1/");
        Admin = new HttpClient { BaseAddress = new Uri(root + "/_sim/"), Timeout = TimeSpan.FromSeconds(30) };

        var options = Options;
        var services = new ServiceCollection();
        services.AddCrispClient(o =>
        {
            o.BaseUrl = ApiBaseUrl;
            o.Identifier = options.PluginIdentifier;
            o.Key = options.PluginKey;
            o.Timeout = TimeSpan.FromSeconds(5);
            o.RetryDelay = TimeSpan.FromMilliseconds(50);
        });
        _clientServices = services.BuildServiceProvider();
        Client = _clientServices.GetRequiredService<CrispClient>();
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (_clientServices is not null)
        {
            await _clientServices.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>Installs the plugin on a new website (admin API) and returns its id.</summary>
    public async Task<string> InstallWebsiteAsync(JsonObject? settings = null, string? name = null)
    {
        var body = new JsonObject
        {
            ["name"] = name ?? "Shop " + Guid.NewGuid().ToString("N")[..8],
            ["domain"] = "shop.example.com",
        };
        if (settings is not null)
        {
            body["settings"] = settings;
        }

        var data = await AdminAsync(HttpMethod.Post, "websites", body);
        return (string)data!["website_id"]!;
    }

    public Task UninstallWebsiteAsync(string websiteId) => AdminAsync(HttpMethod.Delete, $"websites/{websiteId}", null);

    /// <summary>Mints the website-tier token of <paramref name="websiteId"/>.</summary>
    public async Task<CrispCredentials> MintWebsiteTokenAsync(string websiteId)
    {
        var data = await AdminAsync(HttpMethod.Post, $"websites/{websiteId}/website-token", null);
        return CrispCredentials.Website((string)data!["identifier"]!, (string)data["key"]!);
    }

    public Task SetLimitsAsync(string websiteId, int requestsPerMinute, int status, int? retryAfterSeconds) =>
        AdminAsync(HttpMethod.Put, $"websites/{websiteId}/limits", new JsonObject
        {
            ["requests_per_minute"] = requestsPerMinute,
            ["status"] = status,
            ["retry_after_seconds"] = retryAfterSeconds,
        });

    public async Task<string> SeedCampaignAsync(string websiteId, string name)
    {
        var data = await AdminAsync(HttpMethod.Post, $"websites/{websiteId}/campaigns", new JsonObject { ["name"] = name, ["subject"] = "Hello" });
        return (string)data!["campaign_id"]!;
    }

    public Task SetQuotaAsync(JsonObject quota) => AdminAsync(HttpMethod.Put, "quota", quota);

    public Task SetFaultsAsync(JsonObject faults) => AdminAsync(HttpMethod.Put, "faults", faults);

    /// <summary>REST requests the simulator received for <paramref name="websiteId"/> (or all), in order.</summary>
    public IReadOnlyList<JournalEntry> Journal(string? websiteId = null) => State.GetJournal(websiteId);

    public async Task<JsonNode?> AdminAsync(HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: AdminJson);
        }

        using var response = await Admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Simulator admin {method} {path} failed: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text)?["data"];
    }
}
