using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.Web.Features.Relay;

/// <summary>Thrown when the relay refuses a target address before connecting.</summary>
public sealed class RelayTargetRefusedException(string message) : HttpRequestException(message);

/// <summary>
/// SSRF guard: the relay's connections resolve DNS themselves and refuse loopback, link-local, private,
/// unique-local, multicast and unspecified addresses (IPv4 and IPv6, IPv4-mapped included) unless the hub
/// administrator set <c>Relay:AllowPrivateTargets</c>. Checked at connect time, so DNS rebinding gains nothing.
/// </summary>
public static class RelaySsrfGuard
{
    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 0 // "this" network, 0.0.0.0
                || b[0] == 10
                || b[0] == 127
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) // carrier-grade NAT
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)) // benchmarking
                || b[0] >= 224; // multicast, reserved, broadcast
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return IPAddress.IsLoopback(address)
                || address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)
                || address.IsIPv6LinkLocal
                || address.IsIPv6SiteLocal
                || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC // fc00::/7 unique local
                || (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] == 0
                    && b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 0) // IPv4-compatible ::a.b.c.d
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) // NAT64 64:ff9b::/96 can reach private IPv4
                || (b[0] == 0x20 && b[1] == 0x02); // 6to4 embeds any IPv4
        }

        return true;
    }

    /// <summary>Registration-time check of a URL; null when acceptable, otherwise the reason.</summary>
    public static string? ValidateUrl(string? url, bool allowPrivateTargets)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "An absolute URL of at most 2000 characters is required.";
        }

        // Uri takes a NUL or a line break as part of a path; PostgreSQL cannot store NUL in text (a 500), and no
        // receiver's URL holds such characters unescaped.
        if (url.Any(char.IsControl))
        {
            return "The URL must not contain control characters (escape them as %XX).";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(allowPrivateTargets && uri.Scheme == Uri.UriSchemeHttp))
        {
            return "The URL must use https.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "The URL must not contain credentials.";
        }

        if (!string.IsNullOrEmpty(uri.Fragment))
        {
            return "The URL must not contain a fragment.";
        }

        if (!allowPrivateTargets)
        {
            if (IPAddress.TryParse(uri.DnsSafeHost, out var literal) && IsForbidden(literal))
            {
                return "The URL points at a private, loopback or link-local address.";
            }

            if (uri.IsLoopback || uri.DnsSafeHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase) || !uri.DnsSafeHost.Contains('.', StringComparison.Ordinal) && !IPAddress.TryParse(uri.DnsSafeHost, out _))
            {
                return "The URL must name a public host.";
            }
        }

        return null;
    }

    /// <summary>The handler's connect step: resolve, refuse forbidden addresses, connect to the first allowed one.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivateTargets, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new RelayTargetRefusedException($"{host} does not resolve.");
        }

        if (!allowPrivateTargets && addresses.FirstOrDefault(IsForbidden) is { } forbidden)
        {
            // Any forbidden answer refuses the host: a name that resolves to a private address is not a public target.
            throw new RelayTargetRefusedException($"Refused to connect to {host} ({forbidden}): private, loopback or link-local address.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
