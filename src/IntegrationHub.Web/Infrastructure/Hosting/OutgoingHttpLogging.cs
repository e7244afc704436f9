namespace IntegrationHub.Web.Infrastructure.Hosting;

public static class OutgoingHttpLogging
{
    /// <summary>
    /// No framework logging of the hub's outgoing requests, on every HttpClient: it writes each URL with its path (only
    /// the query is hidden), four lines per request at Information plus a URL scope around every log inside the
    /// request. Crisp's people routes take a contact's email as the people id (customers' end users' addresses), and a
    /// relay endpoint's path often carries its credential (https://discord.com/api/webhooks/{id}/{token}, Slack's
    /// /services/…). The hub records each Crisp call's and relay attempt's outcome itself, without them.
    /// </summary>
    public static IServiceCollection AddOutgoingHttpWithoutUrlLogging(this IServiceCollection services) =>
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());
}
