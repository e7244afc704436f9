using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace IntegrationHub.Web.Infrastructure.Crisp;

/// <summary>
/// This server's own loopback address, known only once Kestrel listens. In demo mode the Crisp client and the
/// simulator's hook sender are aimed at <see cref="HubCrispMode.SelfHost"/> and re-aimed here at send time.
/// </summary>
public sealed class SelfAddress(IServer server)
{
    public Uri Resolve()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var chosen = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server has no listening address yet.");
        var builder = new UriBuilder(chosen.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (builder.Host is "0.0.0.0" or "[::]" or "::" or "localhost")
        {
            builder.Host = "127.0.0.1";
        }

        return new Uri(builder.Uri.GetLeftPart(UriPartial.Authority));
    }

    public Uri Rebase(Uri requestUri)
    {
        if (!string.Equals(requestUri.Host, HubCrispMode.SelfHost, StringComparison.OrdinalIgnoreCase))
        {
            return requestUri;
        }

        var self = Resolve();
        return new UriBuilder(requestUri) { Scheme = self.Scheme, Host = self.Host, Port = self.Port }.Uri;
    }
}

/// <summary>Re-aims requests addressed to <see cref="HubCrispMode.SelfHost"/> at this server (demo mode only).</summary>
public sealed class SelfAddressHandler(SelfAddress self) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri)
        {
            request.RequestUri = self.Rebase(uri);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
