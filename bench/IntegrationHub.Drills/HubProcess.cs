using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.Drills;

/// <summary>
/// A hub node as its own operating-system process (<c>dotnet IntegrationHub.Web.dll</c>) on a fixed loopback port,
/// so a restarted node answers on the same address. <see cref="Kill"/> is a real SIGKILL of the process tree.
/// The last lines it wrote are kept for failure messages.
/// </summary>
public sealed class HubProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private HubProcess(string name, Process process, Uri root)
    {
        Name = name;
        _process = process;
        Root = root;
    }

    public string Name { get; }

    public Uri Root { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string OutputTail
    {
        get
        {
            lock (_tail)
            {
                return string.Join(Environment.NewLine, _tail);
            }
        }
    }

    /// <summary>A loopback port free right now (bound and released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static HubProcess Start(string name, int port, IReadOnlyDictionary<string, string?> settings)
    {
        var dll = LocateHub();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var hub = new HubProcess(name, process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => hub.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => hub.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return hub;
    }

    /// <summary>Polls <c>/health/live</c> until the node answers; fails early if the process died.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Hub {Name} exited with code {_process.ExitCode} before it was ready. Its last output:{Environment.NewLine}{OutputTail}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(Root, "health/live"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (DateTime.UtcNow > deadline)
            {
                Kill();
                throw new TimeoutException($"Hub {Name} was not ready after {timeout.TotalSeconds:0}s. Its last output:{Environment.NewLine}{OutputTail}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL (kill -9) of the node and its children; returns once it is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary>
    /// The hub's entry assembly: copied next to this assembly (with its runtimeconfig) by the project reference, else
    /// the hub's own build output in the source tree.
    /// </summary>
    public static string LocateHub()
    {
        var here = Path.Combine(AppContext.BaseDirectory, "IntegrationHub.Web.dll");
        if (File.Exists(Path.ChangeExtension(here, ".runtimeconfig.json")))
        {
            return here;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "IntegrationHub.sln")))
        {
            root = root.Parent;
        }

        return root is null
            ? throw new FileNotFoundException("IntegrationHub.Web.dll not found next to the drills or in the source tree.")
            : Path.Combine(root.FullName, "src", "IntegrationHub.Web", "bin", configuration, "net10.0", "IntegrationHub.Web.dll");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
