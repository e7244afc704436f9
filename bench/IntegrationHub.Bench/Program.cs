using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using IntegrationHub.Bench;

// bench/run.sh builds everything in Release and runs: IntegrationHub.Bench run --hub <IntegrationHub.Web.dll>
// "ceiling" serves the bare Kestrel JSON endpoint in its own process (the hub runs in its own process too).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
return args.FirstOrDefault() switch
{
    "ceiling" => await Ceiling.ServeAsync(args[1..]),
    "run" => await Runner.RunAsync(args[1..]),
    "probe" => await Probe(args),
    "probe-open" => await ProbeOpen(args),
    _ => Usage(),
};

// probe URL KEY PATH [BODY] [CONNECTIONS]: a closed loop against one running endpoint, for looking into one number. In BODY, {n} is
// the request's sequence number (prefixed with a per-run token, so message ids never repeat) and {e} one of 5,000 contacts.
static async Task<int> Probe(string[] args)
{
    var connections = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 64;
    using var load = new Load(new Uri(args[1]), args[2], connections);
    var body = args.Length > 4 ? args[4] : "";
    var run = Guid.NewGuid().ToString("N")[..8];
    var result = await load.ClosedLoopAsync(args[3], args[3],
        n => Fill(body, run, n), 1, connections,
        TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), body.Length == 0 ? HttpStatusCode.OK : HttpStatusCode.Accepted);
    Console.WriteLine($"{result.Name}: {result.RequestsPerSecond:F0} req/s p50 {result.P50Ms:F1} p99 {result.P99Ms:F1} errors {result.Errors} client CPU {result.ClientCpuUsPerRequest:F0} µs/request");
    return 0;
}

// probe-open URL KEY PATH BODY RATE [SECONDS]: an open loop at RATE requests/s against one running endpoint (latency at a given load).
static async Task<int> ProbeOpen(string[] args)
{
    var rate = double.Parse(args[5], CultureInfo.InvariantCulture);
    var seconds = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 8;
    using var load = new Load(new Uri(args[1]), args[2], 256);
    var run = Guid.NewGuid().ToString("N")[..8];
    var result = await load.OpenLoopAsync(args[3], args[3],
        n => Fill(args[4], run, n),
        rate, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(seconds));
    Console.WriteLine($"{result.Name}: {result.RequestsPerSecond:F0} req/s p50 {result.P50Ms:F1} p99 {result.P99Ms:F1} errors {result.Errors} pacer lag ≤ {result.PacerMaxLagMs:F1} ms");
    Console.WriteLine("second by second (p99/max ms): " + string.Join("  ", result.Windows.Select(w => $"{w.Second}:{w.P99Ms:F0}/{w.MaxMs:F0}")));
    return 0;
}

// A probe body: {n} becomes the request's number behind the run token, {e} one of 5,000 contacts.
static string Fill(string body, string run, long n) =>
    body.Replace("{n}", $"{run}-{n}", StringComparison.Ordinal).Replace("{e}", (n % 5000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

static int Usage()
{
    Console.Error.WriteLine("usage: IntegrationHub.Bench run --hub PATH/IntegrationHub.Web.dll [--seconds N] [--connections N,N] [--rounds N] [--hub-warmup SECONDS] [--steady-max SECONDS] [--postgres CONNECTION] [--only sqlite|postgres]");
    Console.Error.WriteLine("       IntegrationHub.Bench probe URL KEY PATH [BODY] [CONNECTIONS]");
    Console.Error.WriteLine("       IntegrationHub.Bench probe-open URL KEY PATH BODY RATE [SECONDS]");
    Console.Error.WriteLine("       IntegrationHub.Bench ceiling --urls http://127.0.0.1:PORT");
    return 2;
}
