namespace IntegrationHub.Drills;

/// <summary>
/// What every drill needs: the simulator, a fresh database seeded with tenants, a data directory shared by the
/// nodes (local key ring), and a way to start nodes and wait for the outbox to settle.
/// </summary>
public sealed class DrillRun : IAsyncDisposable
{
    private readonly List<HubProcess> _nodes = [];

    private DrillRun(DrillSimulator simulator, DrillDatabase database, string dataDirectory, List<DrillTenant> tenants, DrillReport report)
    {
        Simulator = simulator;
        Database = database;
        DataDirectory = dataDirectory;
        Tenants = tenants;
        Report = report;
        RunId = Guid.NewGuid().ToString("N")[..8];
    }

    public DrillSimulator Simulator { get; }

    public DrillDatabase Database { get; }

    public string DataDirectory { get; }

    public List<DrillTenant> Tenants { get; }

    public DrillReport Report { get; }

    public string RunId { get; }

    public static TimeSpan ReadyTimeout { get; } = TimeSpan.FromSeconds(90);

    public static async Task<DrillRun> StartAsync(DrillOptions options, string drill, int tenants, TextWriter output)
    {
        var report = new DrillReport(drill, output);
        report.Step($"simulator, database and {tenants} tenants");
        var simulator = await DrillSimulator.StartAsync();
        var database = await DrillDatabase.CreateAsync(options.ServerConnectionString, drill, options.KeepDatabase);
        var dataDirectory = Directory.CreateTempSubdirectory($"hub-drill-{drill}-").FullName;
        var seeded = await DrillSeeder.SeedAsync(database.ConnectionString, dataDirectory, simulator, tenants);
        report.Fact($"database {database.Name}, simulator at {simulator.Root}");
        return new DrillRun(simulator, database, dataDirectory, seeded, report);
    }

    /// <summary>Starts a node with the common settings plus <paramref name="extra"/>, and waits until it answers.</summary>
    public async Task<HubProcess> StartNodeAsync(string name, int port, IReadOnlyDictionary<string, string?> extra)
    {
        var node = HubProcess.Start(name, port, HubNodeSettings.Merge(HubNodeSettings.Common(Database.ConnectionString, DataDirectory, Simulator), extra));
        _nodes.Add(node);
        await node.WaitReadyAsync(ReadyTimeout);
        return node;
    }

    /// <summary>
    /// Polls the outbox until <paramref name="done"/> holds for all calls; false on timeout (the checks that follow
    /// then say what was left). Throws if every node died.
    /// </summary>
    public async Task<bool> WaitForCallsAsync(Func<List<CallRow>, bool> done, TimeSpan timeout, params HubProcess[] nodes)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var calls = await Database.CallsAsync();
            if (done(calls))
            {
                return true;
            }

            if (nodes.Length > 0 && nodes.All(n => n.HasExited))
            {
                throw new InvalidOperationException("Every hub node exited. Last output:" + Environment.NewLine + string.Join(Environment.NewLine, nodes.Select(n => n.OutputTail)));
            }

            if (DateTime.UtcNow > deadline)
            {
                Report.Fact($"gave up waiting after {timeout.TotalSeconds:0}s: " + string.Join(", ", calls.GroupBy(c => c.Status).Select(g => $"{g.Count()} {g.Key}")));
                return false;
            }

            await Task.Delay(250);
        }
    }

    public static bool AllSent(List<CallRow> calls) => calls.All(c => c.Status == "Sent");

    public static bool AllFinal(List<CallRow> calls) => calls.All(c => c.Status is "Sent" or "Dead");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        await Simulator.DisposeAsync();
        await Database.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // harmless leftover in /tmp
        }
    }
}

/// <summary>Knobs shared by every drill; the script reads them from the command line and environment.</summary>
public sealed record DrillOptions
{
    /// <summary>Any database on the PostgreSQL server to use; each drill creates (and drops) its own database there.</summary>
    public required string ServerConnectionString { get; init; }

    public bool KeepDatabase { get; init; }

    /// <summary>Crash drill: kill/restart cycles.</summary>
    public int Cycles { get; init; } = 20;

    /// <summary>Fault drill: how long each fault runs under load.</summary>
    public TimeSpan FaultPhase { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Crash drill: the longest a node runs before it is killed (the moment is random below this).</summary>
    public TimeSpan MaxRunBeforeKill { get; init; } = TimeSpan.FromSeconds(5);

    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>How long the outbox may take to settle at the end of a drill.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(120);
}
