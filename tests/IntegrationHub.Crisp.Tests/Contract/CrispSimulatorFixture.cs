using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator;
using IntegrationHub.CrispSimulator.Campaigns;
using IntegrationHub.CrispSimulator.Journal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Crisp.Tests.Contract;

/// <summary>
/// The Crisp simulator the contract tests talk to, and a <see cref="CrispClient"/> built by the real
/// <see cref="CrispServiceCollectionExtensions.AddCrispClient"/> pointed at it.
/// <list type="bullet">
/// <item>By default: the real simulator on loopback (<c>http://127.0.0.1:0</c>), mounted the way the hub mounts it
/// (AddCrispSimulator + MapCrispSimulator under <see cref="Prefix"/>). One per test class, so the global knobs
/// (quota, faults) one class turns never reach another.</item>
/// <item>With <c>CRISP_SIMULATOR_URL</c> set (e.g. <c>http://127.0.0.1:5090</c>, or with a mount prefix
/// <c>http://127.0.0.1:5080/crisp-sim</c>): an already running simulator, REST at <c>{url}/v1/</c> and admin at
/// <c>{url}/_sim/</c>, shared by every class, so a developer can watch its journal fill. Classes that turn global
/// knobs or read global views (<see cref="NeedsWholeSimulator"/>) then run alone (<see cref="ExternalSimulatorGate"/>).</item>
/// </list>
/// Each test installs its own website and reads the journal filtered by it, so tests stay isolated in both modes.
/// Tests read simulator state only through this fixture's methods, never in-process objects.
/// </summary>
public class CrispSimulatorFixture : IAsyncLifetime
{
    public const string Prefix = "/crisp-sim";

    /// <summary>Environment variable with the root URL of an external simulator (mount prefix included, if any).</summary>
    public const string ExternalUrlVariable = "CRISP_SIMULATOR_URL";

    private static readonly JsonSerializerOptions AdminJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly string? ExternalRoot = ReadExternalRoot();

    private WebApplication? _app;
    private ServiceProvider? _clientServices;
    private Func<Task>? _leaveGate;

    /// <summary>
    /// Simulator settings (section <c>Simulator</c>) the in-process simulator starts with. An external simulator
    /// runs with whatever its own process was given; tests must not depend on these settings then (see
    /// <see cref="Options"/>).
    /// </summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>
    /// True for a class whose tests turn global knobs (quota, faults) or read global views (all websites, the
    /// unfiltered journal). Against a shared external simulator such a class runs while no other class runs.
    /// </summary>
    protected virtual bool NeedsWholeSimulator => false;

    /// <summary>Client with the simulator's plugin keypair (plugin tier).</summary>
    public CrispClient Client { get; private set; } = null!;

    /// <summary>Unauthenticated client of the simulator's admin API (<c>{root}/_sim/</c>).</summary>
    public HttpClient Admin { get; private set; } = null!;

    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>
    /// The simulator's options. In-process: the options the simulator was built with (<see cref="Settings"/>
    /// applied). External: the admin API does not expose them, so this is the simulator's documented defaults
    /// (<c>new SimulatorOptions()</c>); the external simulator is expected to run without <c>Simulator:*</c>
    /// overrides, as the README's standalone command starts it.
    /// </summary>
    public SimulatorOptions Options { get; private set; } = null!;

    private CrispSimulatorState InProcessState => _app!.Services.GetRequiredService<CrispSimulatorState>();

    public async Task InitializeAsync()
    {
        string root;
        if (ExternalRoot is not null)
        {
            root = ExternalRoot;
            Options = new SimulatorOptions();
        }
        else
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
            root = _app.Urls.Single().TrimEnd('/') + Prefix;
            Options = InProcessState.Options;
        }

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

        if (ExternalRoot is not null)
        {
            await EnsureExternalSimulatorAnswersAsync();
            _leaveGate = NeedsWholeSimulator ? await ExternalSimulatorGate.EnterExclusiveAsync() : await ExternalSimulatorGate.EnterSharedAsync();
        }
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

        if (_leaveGate is not null)
        {
            await _leaveGate();
            _leaveGate = null;
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

    /// <summary>The global daily plugin quota as the admin API reports it.</summary>
    public async Task<JsonObject> GetQuotaAsync() => (JsonObject)(await AdminAsync(HttpMethod.Get, "quota", null))!;

    /// <summary>The injected faults as the admin API reports them.</summary>
    public async Task<JsonObject> GetFaultsAsync() => (JsonObject)(await AdminAsync(HttpMethod.Get, "faults", null))!;

    /// <summary>Ids of every website with the plugin installed, in creation order (other classes' too when external).</summary>
    public async Task<IReadOnlyList<string>> InstalledWebsiteIdsAsync()
    {
        var websites = (JsonArray)(await AdminAsync(HttpMethod.Get, "websites", null))!;
        return [.. websites.Where(w => (bool)w!["installed"]!).Select(w => (string)w!["website_id"]!)];
    }

    /// <summary>
    /// REST requests the simulator received for <paramref name="websiteId"/> (or all), in order, those after
    /// <paramref name="afterSequence"/> only. In-process: read from the simulator's state; external:
    /// <c>GET /_sim/journal?website_id=</c>.
    /// </summary>
    public async Task<IReadOnlyList<JournalEntry>> JournalAsync(string? websiteId = null, long afterSequence = 0)
    {
        IReadOnlyList<JournalEntry> journal;
        if (_app is not null)
        {
            journal = InProcessState.GetJournal(websiteId);
        }
        else
        {
            var path = websiteId is null ? "journal" : "journal?website_id=" + Uri.EscapeDataString(websiteId);
            var data = await AdminAsync(HttpMethod.Get, path, null);
            journal = data.Deserialize<List<JournalEntry>>(AdminJson)!;
        }

        return afterSequence == 0 ? journal : [.. journal.Where(e => e.Sequence > afterSequence)];
    }

    /// <summary>
    /// The sequence number of the newest journal entry (0 when empty): pass it to <see cref="JournalAsync"/> to see
    /// only what follows. Tests use this instead of clearing the journal, so that a developer watching an external
    /// simulator keeps the whole run.
    /// </summary>
    public async Task<long> JournalSequenceAsync()
    {
        var journal = await JournalAsync();
        return journal.Count == 0 ? 0 : journal[^1].Sequence;
    }

    /// <summary>Clears the whole journal (<c>DELETE /_sim/journal</c>), other classes' entries included when external.</summary>
    public async Task ClearJournalAsync()
    {
        if (_app is not null)
        {
            InProcessState.ClearJournal();
        }
        else
        {
            await AdminAsync(HttpMethod.Delete, "journal", null);
        }
    }

    /// <summary>The recorded campaign dispatches (in-process state, or <c>GET /_sim/dispatches</c> when external).</summary>
    public async Task<IReadOnlyList<CampaignDispatch>> DispatchesAsync()
    {
        if (_app is not null)
        {
            return InProcessState.Read(s => s.Dispatches.ToList());
        }

        var data = (JsonArray)(await AdminAsync(HttpMethod.Get, "dispatches", null))!;
        return [.. data.Select(d => new CampaignDispatch(
            (string)d!["website_id"]!,
            (string)d["campaign_id"]!,
            DateTimeOffset.FromUnixTimeMilliseconds((long)d["at"]!),
            (string)d["tier"]!))];
    }

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

    private static string? ReadExternalRoot()
    {
        var value = Environment.GetEnvironmentVariable(ExternalUrlVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException($"{ExternalUrlVariable} must be an absolute http(s) URL such as http://127.0.0.1:5090, not '{value}'.");
        }

        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    private async Task EnsureExternalSimulatorAnswersAsync()
    {
        try
        {
            await AdminAsync(HttpMethod.Get, "quota", null);
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException(
                $"{ExternalUrlVariable}={ExternalRoot}: no simulator answers at {Admin.BaseAddress}. Start one with "
                + "'dotnet run --project src/IntegrationHub.CrispSimulator --urls http://127.0.0.1:5090', or unset the variable.",
                ex);
        }
    }
}

/// <summary>
/// For a class whose tests turn global knobs or read global views: in-process it is an ordinary per-class simulator;
/// against an external simulator the class runs while no other class runs.
/// </summary>
public sealed class WholeSimulatorFixture : CrispSimulatorFixture
{
    protected override bool NeedsWholeSimulator => true;
}
