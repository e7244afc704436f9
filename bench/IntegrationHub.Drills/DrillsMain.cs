using System.Globalization;

namespace IntegrationHub.Drills;

/// <summary>Command line of the drills; bench/drills/run.sh builds and runs it.</summary>
public static class DrillsMain
{
    private const string Usage = """
        usage: bench/drills/run.sh <drill> [options]

        drills (each prints what it checked and what it found; exit code 1 on any violation):
          two-nodes        two hub processes on one PostgreSQL database, one simulator: exactly-once delivery of events
                           posted to both, per-tenant budgets across both, one node killed mid-drain
          crash            kill -9 of the hub at random moments under load, restarted each time (--cycles, default 20)
          faults           simulator 5xx, latency, dropped connections, a 429 storm and an outage under load
                           (--phase-seconds, default 15 per fault)
          all              two-nodes, crash and faults, one after the other
          postgres-stop    !!! REALLY STOPS THE LOCAL POSTGRESQL CLUSTER (pg_ctlcluster 15 main stop) for 30 s !!!
                           Every other user of that cluster (other test suites, other engineers) fails meanwhile.
                           Run it by hand only, on a machine nobody else is using, as root, and only with
                           --yes-stop-postgres. Never part of the test suite or of 'all'.

        options:
          --cycles N             crash cycles (default 20)
          --phase-seconds S      seconds per fault (default 15)
          --outage-seconds S     postgres-stop: how long PostgreSQL stays down (default 30)
          --seed N               random seed of the kill moments (printed; reuse it to repeat a run)
          --keep-db              keep the drill's database afterwards (for a post-mortem)

        environment:
          DRILL_POSTGRES   a connection string to the PostgreSQL server (default $HUB_TEST_POSTGRES, else
                           Host=127.0.0.1;Port=5432;Username=hub;Password=hub;Database=postgres). Each drill
                           creates its own database there (the role needs CREATEDB) and drops it at the end.
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        // The hub's content (appsettings.json) is copied next to the drills; the seeder needs no source tree.
        if (Environment.GetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_INTEGRATIONHUB_WEB") is null)
        {
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_INTEGRATIONHUB_WEB", AppContext.BaseDirectory);
        }

        DrillOptions options;
        var outage = TimeSpan.FromSeconds(30);
        var confirmed = false;
        try
        {
            var server = Environment.GetEnvironmentVariable("DRILL_POSTGRES") is { Length: > 0 } d ? d
                : Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES") is { Length: > 0 } t ? t
                : "Host=127.0.0.1;Port=5432;Username=hub;Password=hub;Database=postgres";
            options = new DrillOptions { ServerConnectionString = server };
            for (var i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--cycles": options = options with { Cycles = Positive(args, ++i) }; break;
                    case "--phase-seconds": options = options with { FaultPhase = TimeSpan.FromSeconds(Positive(args, ++i)) }; break;
                    case "--outage-seconds": outage = TimeSpan.FromSeconds(Positive(args, ++i)); break;
                    case "--seed": options = options with { Seed = Positive(args, ++i) }; break;
                    case "--keep-db": options = options with { KeepDatabase = true }; break;
                    case "--yes-stop-postgres": confirmed = true; break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        List<Func<Task<DrillReport>>>? drills = args[0] switch
        {
            "two-nodes" => [() => TwoNodeDrill.RunAsync(options, Console.Out)],
            "crash" => [() => CrashDrill.RunAsync(options, Console.Out)],
            "faults" => [() => FaultDrill.RunAsync(options, Console.Out)],
            "all" =>
            [
                () => TwoNodeDrill.RunAsync(options, Console.Out),
                () => CrashDrill.RunAsync(options, Console.Out),
                () => FaultDrill.RunAsync(options, Console.Out),
            ],
            "postgres-stop" when confirmed => [() => PostgresStopDrill.RunAsync(options, Console.Out, outage)],
            "postgres-stop" => null,
            _ => null,
        };
        if (drills is null)
        {
            Console.Error.WriteLine(args[0] == "postgres-stop"
                ? "postgres-stop really stops the local PostgreSQL cluster; add --yes-stop-postgres if nobody else is using it."
                : $"unknown drill '{args[0]}'");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var reports = new List<DrillReport>();
        foreach (var drill in drills)
        {
            reports.Add(await drill());
        }

        Console.WriteLine();
        foreach (var report in reports)
        {
            Console.WriteLine((report.Passed ? "PASSED " : "VIOLATED ") + report.Summary());
        }

        return reports.All(r => r.Passed) ? 0 : 1;
    }

    private static int Positive(string[] args, int i) =>
        i < args.Length && int.TryParse(args[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{args[i - 1]} needs a positive number");
}
