namespace IntegrationHub.Web.Infrastructure.Hosting;

/// <summary>
/// The server's exit code once the host has stopped. A failed background service stops the host
/// (<see cref="BackgroundServiceExceptionBehavior.StopHost"/>) and the run returns as after a clean stop, so the process
/// exited 0 and a supervisor (systemd <c>Restart=on-failure</c>, an orchestrator's failure policy) took the crash for an
/// intended shutdown.
/// </summary>
public static class HostExitCode
{
    /// <summary>The background services of <paramref name="services"/>, resolved before the run disposes them.</summary>
    public static IReadOnlyList<BackgroundService> Watch(IServiceProvider services) =>
        services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();

    public static int After(IReadOnlyList<BackgroundService> watched) =>
        watched.Any(service => service.ExecuteTask is { IsFaulted: true }) ? 1 : 0;
}
