namespace IntegrationHub.Crisp.Tests.Contract;

/// <summary>
/// Serialises the test classes that share one external simulator (<c>CRISP_SIMULATOR_URL</c>): a class that only
/// touches its own websites takes a shared lease and runs alongside the others; a class that turns global knobs
/// (quota, faults) or reads global views (the list of all websites, the unfiltered journal) takes the exclusive lease
/// and runs alone. A waiting exclusive lease blocks new shared leases, so it is not starved. Unused in-process: there
/// each class has its own simulator.
/// </summary>
internal static class ExternalSimulatorGate
{
    private static readonly SemaphoreSlim Turnstile = new(1, 1);
    private static readonly SemaphoreSlim RoomEmpty = new(1, 1);
    private static readonly SemaphoreSlim ReaderCount = new(1, 1);
    private static int _readers;

    public static async Task<Func<Task>> EnterSharedAsync()
    {
        await Turnstile.WaitAsync();
        Turnstile.Release();

        await ReaderCount.WaitAsync();
        try
        {
            if (++_readers == 1)
            {
                await RoomEmpty.WaitAsync();
            }
        }
        finally
        {
            ReaderCount.Release();
        }

        return ExitSharedAsync;
    }

    public static async Task<Func<Task>> EnterExclusiveAsync()
    {
        await Turnstile.WaitAsync();
        await RoomEmpty.WaitAsync();
        return () =>
        {
            RoomEmpty.Release();
            Turnstile.Release();
            return Task.CompletedTask;
        };
    }

    private static async Task ExitSharedAsync()
    {
        await ReaderCount.WaitAsync();
        try
        {
            if (--_readers == 0)
            {
                RoomEmpty.Release();
            }
        }
        finally
        {
            ReaderCount.Release();
        }
    }
}
