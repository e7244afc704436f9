namespace IntegrationHub.Web.Features.Delivery;

/// <summary>
/// Permits a drain holds for one claim: every HTTP request to Crisp made while the gate is current (including the
/// Crisp client's own retry of a 5xx) takes one, and only within the claim's validity. Requests beyond it are not
/// sent: <see cref="DeliveryPermitsExhaustedException"/> puts the call back in the queue, unharmed.
/// </summary>
public sealed class PermitGate(int permits, DateTimeOffset validUntil, TimeProvider clock)
{
    private static readonly AsyncLocal<PermitGate?> CurrentGate = new();
    private static readonly AsyncLocal<List<string>?> CurrentTrace = new();
    private int _remaining = permits;

    public static PermitGate? Current
    {
        get => CurrentGate.Value;
        set => CurrentGate.Value = value;
    }

    /// <summary>The requests made for the call being executed in this flow, for the attempt log.</summary>
    public static List<string>? Trace
    {
        get => CurrentTrace.Value;
        set => CurrentTrace.Value = value;
    }

    public int Granted { get; } = permits;

    public int Remaining => Math.Max(0, Volatile.Read(ref _remaining));

    public int Used => Granted - Remaining;

    public DateTimeOffset ValidUntil { get; } = validUntil;

    public bool IsExpired => clock.GetUtcNow() >= ValidUntil;

    public bool TryTake()
    {
        if (IsExpired)
        {
            return false;
        }

        if (Interlocked.Decrement(ref _remaining) >= 0)
        {
            return true;
        }

        Interlocked.Increment(ref _remaining);
        return false;
    }
}

public sealed class DeliveryPermitsExhaustedException() : Exception("The drain's Crisp permits are used up or expired; the call goes back to the queue.");

/// <summary>Sits inside the Crisp client's resilience pipeline, so it sees (and gates) every attempt.</summary>
public sealed class DeliveryPermitHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (PermitGate.Current is { } gate && !gate.TryTake())
        {
            throw new DeliveryPermitsExhaustedException();
        }

        var trace = PermitGate.Trace;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            trace?.Add($"{request.Method} {request.RequestUri?.AbsolutePath} → {(int)response.StatusCode}");
            return response;
        }
        catch (Exception ex) when (trace is not null && ex is not DeliveryPermitsExhaustedException)
        {
            trace.Add($"{request.Method} {request.RequestUri?.AbsolutePath} → {ex.GetType().Name}");
            throw;
        }
    }
}
