namespace IntegrationHub.Drills;

/// <summary>Configuration of a hub node in a drill: PostgreSQL, the simulator as Crisp, fast delivery knobs.</summary>
public static class HubNodeSettings
{
    /// <summary>Hangfire's "never" cron (31 February): no installation syncs in the middle of a drill.</summary>
    private const string NeverCron = "0 0 31 2 *";

    public static Dictionary<string, string?> Common(string connectionString, string dataDirectory, DrillSimulator simulator) => new()
    {
        ["Database:Provider"] = "Postgres",
        ["Database:MigrateOnStartup"] = "false",
        ["ConnectionStrings:Hub"] = connectionString,
        ["Hub:DataDirectory"] = dataDirectory,
        ["Crisp:BaseUrl"] = simulator.ApiBaseUrl.ToString(),
        ["Crisp:PluginIdentifier"] = simulator.Options.PluginIdentifier,
        ["Crisp:PluginKey"] = simulator.Options.PluginKey,
        ["Crisp:PluginId"] = simulator.Options.PluginId,
        ["Crisp:HookSecret"] = simulator.Options.HookSecret,
        ["Crisp:RetryDelay"] = "00:00:00.050",
        ["Crisp:Timeout"] = "00:00:03",
        ["Installations:FullSyncCron"] = NeverCron,
        ["Installations:CatchUpCron"] = NeverCron,
        ["Jobs:WorkerCount"] = "4",
        ["Delivery:DailyQuota"] = "0",
        ["Delivery:DispatchInterval"] = "00:00:00.250",
        // A killed node's claimed calls come back after this: short, so a drill does not wait a minute per kill.
        ["Delivery:LeaseDuration"] = "00:00:04",
        ["Delivery:DrainSlice"] = "00:00:02",
        ["Delivery:BatchSize"] = "20",
        ["Delivery:DrainParallelism"] = "4",
        ["Api:RateLimit:PermitsPerSecond"] = "100000",
        ["Api:RateLimit:Burst"] = "100000",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
        ["Logging:Console:FormatterName"] = "simple",
    };

    /// <summary>No per-tenant budget to speak of: crash drills measure recovery, not rate limiting.</summary>
    public static Dictionary<string, string?> Unlimited() => new()
    {
        ["Delivery:DefaultBudgetPerMinute"] = "100000",
        ["Delivery:MaxBudgetPerMinute"] = "100000",
    };

    public static Dictionary<string, string?> Merge(params IReadOnlyDictionary<string, string?>[] layers)
    {
        var merged = new Dictionary<string, string?>();
        foreach (var layer in layers)
        {
            foreach (var (key, value) in layer)
            {
                merged[key] = value;
            }
        }

        return merged;
    }
}
