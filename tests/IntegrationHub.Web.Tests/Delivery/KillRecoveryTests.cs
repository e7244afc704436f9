using System.Diagnostics;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// A real crash: the hub runs as a separate process, is killed (process tree) in the middle of a drain, and is
/// started again. Hangfire's in-memory storage dies with it; the database alone says what is left to do.
/// </summary>
public sealed class KillRecoveryTests
{
    [Fact]
    public async Task HubKilledMidDrain_RestartsAndDeliversEveryCall_DuplicatesOnlyWhereTheOutcomeWasUnknown()
    {
        const int count = 120;
        await using var harness = await DeliveryHarness.StartAsync(startHub: false);
        var delivery = new Dictionary<string, string?>
        {
            ["Delivery:DefaultBudgetPerMinute"] = "100000",
            ["Delivery:MaxBudgetPerMinute"] = "100000",
            ["Delivery:BatchSize"] = "10",
            ["Delivery:DrainParallelism"] = "2",
            ["Delivery:DrainSlice"] = "00:00:02",
            ["Delivery:LeaseDuration"] = "00:00:04",
        };
        // This process only migrates and seeds: no workers here.
        harness.StartHub(harness.HubSettings(delivery, runJobs: false));
        var tenant = await harness.TenantAsync();
        var website = tenant.ToString("D");
        var campaigns = Enumerable.Range(0, count).Select(i => harness.SimAdmin.SeedCampaign(website, $"c{i}")).ToList();
        await harness.EnqueueAsync(tenant, campaigns.Select(c => (CrispCallKinds.CampaignDispatch, (object)new { campaign_id = c }, (string?)null)));
        await harness.PutAsync("faults", new { latency_ms = 40 });

        var settings = harness.HubSettings(delivery);
        using (var first = StartHubProcess(harness, settings))
        {
            await WaitForAsync(() => harness.Sim.Dispatches.Count >= 20, TimeSpan.FromSeconds(40), first);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var atKill = await harness.CallsAsync(tenant);
        var unknownOutcome = atKill.Where(c => c.Status == CrispCallStatus.Sending).Select(c => c.Id).ToHashSet();
        Assert.Contains(atKill, c => c.Status == CrispCallStatus.Sent);
        Assert.Contains(atKill, c => c.Status != CrispCallStatus.Sent); // the kill did land mid-drain

        using (var second = StartHubProcess(harness, settings))
        {
            await WaitForAsync(() => harness.CallsAsync(tenant).GetAwaiter().GetResult().All(c => c.Status == CrispCallStatus.Sent), TimeSpan.FromSeconds(40), second);
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        var calls = await harness.CallsAsync(tenant);
        var dispatches = harness.Journal(tenant).Where(j => j.Method == "POST" && j.Path.EndsWith("/dispatch", StringComparison.Ordinal) && j.Status < 300)
            .GroupBy(j => j.Path.Split('/')[^2]).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(campaigns, c => Assert.True(dispatches.GetValueOrDefault(c) >= 1, $"campaign {c} never dispatched"));
        var callOfCampaign = calls.ToDictionary(c => System.Text.Json.Nodes.JsonNode.Parse(c.Payload)!["campaign_id"]!.GetValue<string>(), c => c.Id);
        foreach (var (campaign, times) in dispatches.Where(d => d.Value > 1))
        {
            Assert.Contains(callOfCampaign[campaign], unknownOutcome); // only a call in flight at the kill may repeat
        }

        Assert.Equal(count - unknownOutcome.Count, campaigns.Count(c => dispatches[c] == 1 && !unknownOutcome.Contains(callOfCampaign[c])));
    }

    private static Process StartHubProcess(DeliveryHarness harness, Dictionary<string, string?> settings)
    {
        var start = HubProcessRun.StartInfo();
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Database__MigrateOnStartup"] = "true";
        start.Environment["ConnectionStrings__Hub"] = harness.ConnectionString;
        start.Environment["Hub__DataDirectory"] = harness.DataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Process process)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The hub process exited with code {process.ExitCode}.");
            }

            if (DateTime.UtcNow > deadline)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("The hub process did not get there in time.");
            }

            await Task.Delay(50);
        }
    }
}
