using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.Web.Tests.Drills;

/// <summary>
/// A loopback TCP forwarder to a real server (PostgreSQL) that a test can take down and bring back on the same
/// port: <see cref="StopAsync"/> closes every forwarded connection and stops listening (new connections are
/// refused, as by a stopped server); <see cref="Start"/> listens again. The shared PostgreSQL cluster itself is
/// never touched, so other tests keep running.
/// </summary>
public sealed class PausableTcpForwarder : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _accepting;

    public PausableTcpForwarder(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(Dns.GetHostAddresses(targetHost).First(a => a.AddressFamily == AddressFamily.InterNetwork), targetPort);
    }

    public int Port { get; private set; }

    public bool IsUp => _listener is not null;

    public void Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        // Forwarded connections closed by StopAsync linger in TIME_WAIT on this port; rebinding must not wait for them.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _stop = new CancellationTokenSource();
        _accepting = AcceptAsync(listener, _stop.Token);
    }

    public async Task StopAsync()
    {
        if (_listener is null)
        {
            return;
        }

        await _stop!.CancelAsync();
        _listener.Stop();
        _listener = null;
        try
        {
            await _accepting!;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Close();
            }

            _open.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var inbound = await listener.AcceptTcpClientAsync(stop);
            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(_target, stop);
            }
            catch (SocketException)
            {
                inbound.Close();
                outbound.Dispose();
                continue;
            }

            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // a side closed (or the outage closed both)
        }
        finally
        {
            from.Close();
            to.Close();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
