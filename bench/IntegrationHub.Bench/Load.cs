using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace IntegrationHub.Bench;

/// <summary>One measurement; <see cref="ServerCpuUsPerRequest"/> is the server process's CPU time (user + system) per answered request.</summary>
internal sealed record LoadResult(string Name, double RequestsPerSecond, double EventsPerSecond, double P50Ms, double P99Ms, long Errors, long Requests)
{
    public double? ServerCpuUsPerRequest { get; init; }

    /// <summary>Connections of a closed loop (0 for an open loop).</summary>
    public int Connections { get; init; }

    /// <summary>The ceiling this result is compared with, when it was measured right around it (else the run's first ceiling).</summary>
    public double? CeilingRps { get; init; }
}

/// <summary>HTTP load: closed loop (N connections as fast as possible) for the maximum, open loop (fixed rate) for latency at a given load.</summary>
internal sealed class Load : IDisposable
{
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
        long sequence = 0;
        long errors = 0;
        var latencies = new List<double>[connections];
        var measuring = false;
        var stop = false;
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (!Volatile.Read(ref stop))
            {
                var n = Interlocked.Increment(ref sequence);
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
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpuAfter = serverCpu?.Invoke();
        Volatile.Write(ref stop, true);
        await Task.WhenAll(workers);
        var result = Summarize(name, latencies.SelectMany(l => l).ToList(), elapsed, eventsPerRequest, errors) with { Connections = connections };
        return cpuBefore is { } before && cpuAfter is { } after && result.Requests > 0
            ? result with { ServerCpuUsPerRequest = (after - before).TotalMicroseconds / result.Requests }
            : result;
    }

    /// <summary>Requests started at a fixed rate whatever the answers do; latency from each request's start.</summary>
    public async Task<LoadResult> OpenLoopAsync(string name, string path, Func<long, string> body, double rate, TimeSpan duration,
        HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        long errors = 0;
        var inflight = new List<Task>();
        var clock = Stopwatch.StartNew();
        long sent = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync())
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; sent < due; sent++)
            {
                var n = sent;
                inflight.Add(Task.Run(async () =>
                {
                    var started = Stopwatch.GetTimestamp();
                    var ok = await SendAsync(path, body(n + 1_000_000_000), expected);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (!ok)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }));
            }
        }

        await Task.WhenAll(inflight);
        return Summarize(name, latencies.ToList(), duration.TotalSeconds, 1, errors);
    }

    private static LoadResult Summarize(string name, List<double> latencies, double seconds, int eventsPerRequest, long errors)
    {
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
        var rps = latencies.Count / seconds;
        return new LoadResult(name, rps, rps * eventsPerRequest, Percentile(0.50), Percentile(0.99), errors, latencies.Count);
    }
}
