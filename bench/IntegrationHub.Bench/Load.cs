using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace IntegrationHub.Bench;

/// <summary>One measurement; <see cref="ServerCpuUsPerRequest"/> is the server process's CPU time (user + system) per answered request.</summary>
internal sealed record LoadResult(string Name, double RequestsPerSecond, double EventsPerSecond, double P50Ms, double P99Ms, long Errors, long Requests)
{
    public double? ServerCpuUsPerRequest { get; init; }

    /// <summary>The load generator's own CPU time per answered request (it shares the machine with the server).</summary>
    public double? ClientCpuUsPerRequest { get; init; }

    /// <summary>Connections of a closed loop (0 for an open loop).</summary>
    public int Connections { get; init; }

    /// <summary>An open loop's worst delay in releasing a due request (its generator's own stall), else null.</summary>
    public double? PacerMaxLagMs { get; init; }

    /// <summary>The ceiling this result is compared with, when it was measured right around it (else the run's first ceiling).</summary>
    public double? CeilingRps { get; init; }

    /// <summary>An open loop's measured requests second by second (by due time): where in the run its tail came from.</summary>
    public IReadOnlyList<LatencyWindow> Windows { get; init; } = [];
}

/// <summary>One second of an open loop: the requests due in it, their p99 and worst latency.</summary>
internal sealed record LatencyWindow(int Second, int Requests, double P99Ms, double MaxMs);

/// <summary>HTTP load: closed loop (N connections as fast as possible) for the maximum, open loop (fixed rate) for latency at a given load.</summary>
internal sealed class Load : IDisposable
{
    /// <summary>
    /// The request number handed to the body factory, unique in the process: the bodies' message ids must never
    /// repeat within a run. (They did before: every measurement counted from 1, so each later concurrency level and
    /// each steady-state window re-sent the earlier ones' ids, and a duplicate is cheaper to answer than a new event.)
    /// </summary>
    private static long s_sequence;

    private readonly HttpClient _client;

    public Load(Uri baseAddress, string? apiKey, int connections)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false };
        _client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>One request; returns whether it got the expected status.</summary>
    private async Task<bool> SendAsync(string path, string body, HttpStatusCode expected)
    {
        using var content = body.Length == 0 ? null : new StringContent(body, Encoding.UTF8, "application/json");
        using var response = content is null ? await _client.GetAsync(path) : await _client.PostAsync(path, content);
        await response.Content.LoadIntoBufferAsync();
        return response.StatusCode == expected;
    }

    public async Task<LoadResult> ClosedLoopAsync(string name, string path, Func<long, string> body, int eventsPerRequest, int connections,
        TimeSpan warmup, TimeSpan duration, HttpStatusCode expected = HttpStatusCode.Accepted, Func<TimeSpan>? serverCpu = null)
    {
        long errors = 0;
        var latencies = new List<double>[connections];
        var measuring = false;
        var stop = false;
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (!Volatile.Read(ref stop))
            {
                var n = Interlocked.Increment(ref s_sequence);
                var started = Stopwatch.GetTimestamp();
                var ok = await SendAsync(path, body(n), expected);
                if (Volatile.Read(ref measuring))
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (!ok)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
        })).ToArray();

        await Task.Delay(warmup);
        Volatile.Write(ref measuring, true);
        var cpuBefore = serverCpu?.Invoke();
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpuAfter = serverCpu?.Invoke();
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientBefore;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(workers);
        var result = Summarize(name, latencies.SelectMany(l => l).ToList(), elapsed, eventsPerRequest, errors) with { Connections = connections };
        result = result with { ClientCpuUsPerRequest = result.Requests > 0 ? clientCpu.TotalMicroseconds / result.Requests : null };
        return cpuBefore is { } before && cpuAfter is { } after && result.Requests > 0
            ? result with { ServerCpuUsPerRequest = (after - before).TotalMicroseconds / result.Requests }
            : result;
    }

    /// <summary>
    /// Requests started at a fixed rate whatever the answers do; latency from each request's start. The first
    /// <paramref name="warmup"/> runs at the same rate unmeasured: a fresh client opens its connections then (a TCP
    /// handshake per connection, hundreds at once), which is the generator's cost, not the server's. The generator
    /// must not stall either, or its catch-up burst queues in the server and reads as server latency: the pacer is a
    /// thread of its own (a thread-pool timer here ticked every 5 ms at best and lagged up to 90 ms under load, the
    /// bare endpoint then "had" a 50 ms p99), requests go straight to the pool, and nothing per request is kept but
    /// its latency in a preallocated array (keeping every task alive had grown the generator's heap by tens of MB a
    /// run, and its collections with it). The pacer's worst lag is returned, so a run can tell.
    /// </summary>
    public async Task<LoadResult> OpenLoopAsync(string name, string path, Func<long, string> body, double rate, TimeSpan warmup, TimeSpan duration,
        HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var firstMeasured = (long)(warmup.TotalSeconds * rate);
        var total = (long)((warmup + duration).TotalSeconds * rate);
        var latencies = new double[total - firstMeasured];
        long errors = 0;
        long pending = 1;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Finished()
        {
            if (Interlocked.Decrement(ref pending) == 0)
            {
                done.SetResult();
            }
        }

        async Task SendOneAsync(long index)
        {
            var started = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                ok = await SendAsync(path, body(Interlocked.Increment(ref s_sequence)), expected);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Nobody awaits this task: a failure is counted (and timed) here, or the loop would wait for it forever.
                ok = false;
            }

            if (index >= firstMeasured)
            {
                latencies[index - firstMeasured] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                }
            }

            Finished();
        }

        var maxLag = TimeSpan.Zero;
        var pacer = new Thread(() =>
        {
            var clock = Stopwatch.StartNew();
            for (long sent = 0; sent < total;)
            {
                var now = clock.Elapsed;
                var due = Math.Min(total, (long)(now.TotalSeconds * rate));
                if (due > sent)
                {
                    var lag = now - TimeSpan.FromSeconds(sent / rate);
                    maxLag = lag > maxLag ? lag : maxLag;
                }

                for (; sent < due; sent++)
                {
                    Interlocked.Increment(ref pending);
                    ThreadPool.UnsafeQueueUserWorkItem(n => _ = SendOneAsync(n), sent, preferLocal: false);
                }

                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Name = "open-loop pacer" };
        pacer.Start();
        await Task.Run(pacer.Join);
        Finished();
        await done.Task;
        var windows = latencies.Select((latency, i) => (Second: (int)(i / rate), Latency: latency)).GroupBy(r => r.Second)
            .Select(g =>
            {
                var sorted = g.Select(r => r.Latency).Order().ToList();
                return new LatencyWindow(g.Key, sorted.Count, Percentile(sorted, 0.99), sorted[^1]);
            }).ToList();
        return Summarize(name, [.. latencies], duration.TotalSeconds, 1, errors) with { PacerMaxLagMs = maxLag.TotalMilliseconds, Windows = windows };
    }

    private static LoadResult Summarize(string name, List<double> latencies, double seconds, int eventsPerRequest, long errors)
    {
        latencies.Sort();
        var rps = latencies.Count / seconds;
        return new LoadResult(name, rps, rps * eventsPerRequest, Percentile(latencies, 0.50), Percentile(latencies, 0.99), errors, latencies.Count);
    }

    /// <summary>The <paramref name="p"/> quantile of <paramref name="sorted"/> (ascending), NaN when empty.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
