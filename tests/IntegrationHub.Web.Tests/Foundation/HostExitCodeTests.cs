using IntegrationHub.Web.Infrastructure.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Foundation;

/// <summary>A host stopped by a failed background service must not exit like one stopped on purpose.</summary>
public sealed class HostExitCodeTests
{
    private sealed class FailingService : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("the dispatcher broke");
        }
    }

    private sealed class StoppingService(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            lifetime.StopApplication();
        }
    }

    private static async Task<int> RunToExitAsync<TService>()
        where TService : BackgroundService
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHostedService<TService>();
        using var host = builder.Build();
        var watched = HostExitCode.Watch(host.Services);
        await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return HostExitCode.After(watched);
    }

    [Fact]
    public async Task FailedBackgroundService_ExitCode1() => Assert.Equal(1, await RunToExitAsync<FailingService>());

    [Fact]
    public async Task StoppedOnPurpose_ExitCode0() => Assert.Equal(0, await RunToExitAsync<StoppingService>());
}
