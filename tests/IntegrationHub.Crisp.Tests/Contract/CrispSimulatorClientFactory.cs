using IntegrationHub.CrispSimulator;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Crisp.Tests.Contract;

/// <summary>A separately configured client against a running simulator (e.g. a short timeout).</summary>
public sealed class CrispSimulatorClientFactory : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public CrispSimulatorClientFactory(Uri baseUrl, SimulatorOptions options, TimeSpan timeout)
    {
        var services = new ServiceCollection();
        services.AddCrispClient(o =>
        {
            o.BaseUrl = baseUrl;
            o.Identifier = options.PluginIdentifier;
            o.Key = options.PluginKey;
            o.Timeout = timeout;
            o.RetryDelay = TimeSpan.FromMilliseconds(10);
        });
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<CrispClient>();
    }

    public CrispClient Client { get; }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
