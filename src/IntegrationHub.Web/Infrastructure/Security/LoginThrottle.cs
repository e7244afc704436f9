using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Security;

/// <summary>
/// Caps sign-in attempts per client address (a sliding minute), so one address cannot try passwords against
/// many accounts; the per-account lockout stops guessing one account from many addresses. A refused attempt
/// never reaches the password check, so it neither counts against the account nor reveals anything.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public LoginThrottle(IOptions<SecurityOptions> options)
    {
        var permits = options.Value.LoginAttemptsPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetSlidingWindowLimiter(address, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Null when the attempt may go ahead; otherwise how long the address should wait.</summary>
    public TimeSpan? TryAttempt(IPAddress? clientAddress)
    {
        using var lease = _limiter.AttemptAcquire(Partition(clientAddress));
        if (lease.IsAcquired)
        {
            return null;
        }

        // A sliding window frees a segment at a time: one segment is the honest upper bound of the wait.
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(10);
    }

    public void Dispose() => _limiter.Dispose();

    // IPv6 clients usually own a whole /64: throttle the prefix, or one client could rotate addresses.
    private static string Partition(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes).ToString();
        }

        return address.ToString();
    }
}
