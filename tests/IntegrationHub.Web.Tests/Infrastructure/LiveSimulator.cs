using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator;
using IntegrationHub.CrispSimulator.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>
/// A standalone Crisp simulator on loopback (<c>http://127.0.0.1:0</c>), mounted at the root: REST under
/// <see cref="ApiBaseUrl"/> (<c>/v1/</c>), admin API under <see cref="Admin"/> (<c>/_sim/</c>). It plays Crisp for a
/// hub running on Kestrel: the hub calls it, and it POSTs signed Plugin Hooks back to the hub.
/// <para>
/// Besides the simulator's own fault knobs (<c>PUT /_sim/faults</c>), <see cref="Intercept"/> lets a test answer or
/// hold any single request itself (e.g. fail page 2 of a listing, or pause a call until the test releases it).
/// </para>
/// </summary>
public sealed class LiveSimulator : IAsyncDisposable
{
    public const string HookSecret = "live-sim-hook-secret-7d1e0c";
    public const string PluginIdentifier = "live-sim-plugin-identifier";
    public const string PluginKey = "live-sim-plugin-key-5b9a44f1";

    private WebApplication? _app;
    private volatile Func<HttpContext, Task<bool>>? _interceptor;

    public Uri Root { get; private set; } = null!;

    /// <summary>What a Crisp client uses as <c>BaseUrl</c>.</summary>
    public Uri ApiBaseUrl => new(Root, "v1/");

    /// <summary>Unauthenticated client of the admin API (relative paths such as <c>websites</c>).</summary>
    public HttpClient Admin { get; private set; } = null!;

    public CrispSimulatorState State => _app!.Services.GetRequiredService<CrispSimulatorState>();

    /// <summary>The "Crisp side" commands in-process (install, uninstall, settings…); they emit the same hooks.</summary>
    public CrispSimulatorAdmin Commands => _app!.Services.GetRequiredService<CrispSimulatorAdmin>();

    public SimulatorOptions Options => State.Options;

    public static async Task<LiveSimulator> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var simulator = new LiveSimulator();
        var app = await CrispSimulatorLoopback.StartAsync(
            new Dictionary<string, string?>
            {
                ["Simulator:HookSecret"] = HookSecret,
                ["Simulator:PluginIdentifier"] = PluginIdentifier,
                ["Simulator:PluginKey"] = PluginKey,
                // Fast retries, so a hook the hub refused once is redelivered within a test's patience.
                ["Simulator:HookRetryBackoffBase"] = "00:00:00.200",
            }.Concat(settings ?? new Dictionary<string, string?>()),
            pipeline => pipeline.Use(async (context, next) =>
            {
                if (simulator._interceptor is not { } intercept || !await intercept(context))
                {
                    await next(context);
                }
            }));
        simulator._app = app;
        simulator.Root = CrispSimulatorLoopback.RootOf(app);
        simulator.Admin = new HttpClient { BaseAddress = new Uri(simulator.Root, "_sim/"), Timeout = TimeSpan.FromSeconds(30) };
        return simulator;
    }

    /// <summary>
    /// Runs <paramref name="interceptor"/> before every request (REST and admin); when it returns true it has answered
    /// the request itself and the simulator does not see it. Pass null to stop intercepting.
    /// </summary>
    public void Intercept(Func<HttpContext, Task<bool>>? interceptor) => _interceptor = interceptor;

    /// <summary>Where hooks go from now on (null: recorded as <c>not_sent</c>, never delivered).</summary>
    public async Task SetHookTargetAsync(Uri? url)
    {
        var response = await Admin.PutAsJsonAsync("hooks/target", new JsonObject { ["url"] = url?.ToString() });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Forgets every website, journal entry and hook; knobs back to their configured values.</summary>
    public void Reset()
    {
        Intercept(null);
        State.Reset();
    }

    /// <summary>Installs the plugin on a new website (emits the install hook); returns its id and subscription token.</summary>
    public InstalledWebsite Install(string name = "Acme", Guid? websiteId = null, JsonObject? settings = null) =>
        Commands.InstallWebsite((websiteId ?? Guid.NewGuid()).ToString("D"), name, $"{name.ToLowerInvariant().Replace(' ', '-')}.example", settings);

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
