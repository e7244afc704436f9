using System.Net.Http.Json;
using IntegrationHub.CrispSimulator;
using IntegrationHub.CrispSimulator.Admin;
using IntegrationHub.CrispSimulator.Journal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Drills;

/// <summary>
/// The Crisp simulator on loopback, in the drill's own process (the hubs are other processes): its journal is the
/// record of what Crisp received. Faults are set through its admin API (<c>/_sim/</c>), as an operator would.
/// </summary>
public sealed class DrillSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DrillSimulator(WebApplication app)
    {
        _app = app;
        Root = CrispSimulatorLoopback.RootOf(app);
        Admin = new HttpClient { BaseAddress = new Uri(Root, "_sim/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Root { get; }

    public Uri ApiBaseUrl => new(Root, "v1/");

    public HttpClient Admin { get; }

    public CrispSimulatorState State => _app.Services.GetRequiredService<CrispSimulatorState>();

    public SimulatorOptions Options => State.Options;

    public static async Task<DrillSimulator> StartAsync()
    {
        var app = await CrispSimulatorLoopback.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator:DailyQuota"] = "0",
            ["Simulator:JournalCapacity"] = "0",
        });
        return new DrillSimulator(app);
    }

    public void Install(Guid websiteId, string name) =>
        _app.Services.GetRequiredService<CrispSimulatorAdmin>().InstallWebsite(websiteId.ToString("D"), name, $"{name.ToLowerInvariant()}.example");

    public IReadOnlyList<JournalEntry> Journal(Guid websiteId) => State.GetJournal(websiteId.ToString("D"));

    /// <summary><c>PUT /_sim/faults</c>: error_rate, error_status, latency_ms, drop_rate, website_id.</summary>
    public Task SetFaultsAsync(object faults) => PutAsync("faults", faults);

    /// <summary>Faults off everywhere.</summary>
    public Task ClearFaultsAsync() => SetFaultsAsync(new { error_rate = 0.0, drop_rate = 0.0, latency_ms = 0, error_status = 503, website_id = (string?)null });

    /// <summary><c>PUT /_sim/websites/{id}/limits</c>: a per-minute budget answered with 429 (a "429 storm" when small); 0 lifts it.</summary>
    public Task SetLimitsAsync(Guid websiteId, int requestsPerMinute, int? retryAfterSeconds = null) =>
        PutAsync($"websites/{websiteId:D}/limits", new { requests_per_minute = requestsPerMinute, status = 429, retry_after_seconds = retryAfterSeconds });

    private async Task PutAsync(string path, object body)
    {
        using var response = await Admin.PutAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Simulator admin PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
