namespace IntegrationHub.CrispSimulator.Infrastructure;

/// <summary>Maps REST routes under <c>{prefix}/v1</c> through <see cref="CrispPipeline"/>.</summary>
public sealed class CrispRoutes(IEndpointRouteBuilder endpoints, string prefix)
{
    public static readonly IReadOnlyList<string> PluginTier = ["plugin"];

    /// <summary>Website routes: plugin tokens (website must have installed the plugin) and that website's own token.</summary>
    public static readonly IReadOnlyList<string> WebsiteRoutes = ["plugin", "website"];

    /// <summary>User-tier only routes: plugin and website tokens get 403 <c>restricted_route_tier</c>.</summary>
    public static readonly IReadOnlyList<string> UserTier = ["user"];

    public static readonly IReadOnlyList<string> AnyTier = ["plugin", "website", "user"];

    public string Prefix => prefix;

    public void Get(string pattern, IReadOnlyList<string> tiers, Func<CrispCall, CrispResult> handler) =>
        Map(pattern, [HttpMethods.Get], tiers, handler);

    /// <summary>GET and HEAD on the same handler (HEAD answers the status without a body).</summary>
    public void GetAndHead(string pattern, IReadOnlyList<string> tiers, Func<CrispCall, CrispResult> handler) =>
        Map(pattern, [HttpMethods.Get, HttpMethods.Head], tiers, handler);

    public void Post(string pattern, IReadOnlyList<string> tiers, Func<CrispCall, CrispResult> handler) =>
        Map(pattern, [HttpMethods.Post], tiers, handler);

    public void Put(string pattern, IReadOnlyList<string> tiers, Func<CrispCall, CrispResult> handler) =>
        Map(pattern, [HttpMethods.Put], tiers, handler);

    public void Patch(string pattern, IReadOnlyList<string> tiers, Func<CrispCall, CrispResult> handler) =>
        Map(pattern, [HttpMethods.Patch], tiers, handler);

    public void Delete(string pattern, IReadOnlyList<string> tiers, Func<CrispCall, CrispResult> handler) =>
        Map(pattern, [HttpMethods.Delete], tiers, handler);

    public void Map(string pattern, string[] methods, IReadOnlyList<string> tiers, Func<CrispCall, CrispResult> handler)
    {
        var prefixCopy = prefix;
        endpoints
            .MapMethods(
                $"{prefix}/v1{pattern}",
                methods,
                (RequestDelegate)(http => http.RequestServices.GetRequiredService<CrispPipeline>().ExecuteAsync(http, prefixCopy, tiers, handler)))
            .AsSimulatorEndpoint();
    }
}

/// <summary>Maps admin routes under <c>{prefix}/_sim</c>.</summary>
public sealed class AdminRoutes(IEndpointRouteBuilder endpoints, string prefix)
{
    public void Map(string method, string pattern, Func<CrispCall, CrispResult> handler) =>
        endpoints
            .MapMethods(
                $"{prefix}/_sim{pattern}",
                [method],
                (RequestDelegate)(http => http.RequestServices.GetRequiredService<CrispPipeline>().ExecuteAdminAsync(http, handler)))
            .AsSimulatorEndpoint();
}

internal static class SimulatorEndpointConventions
{
    /// <summary>
    /// The simulator does its own auth, limits and errors: when mounted in a host, opt out of the host's authorization
    /// fallback policy, rate limiter and API description.
    /// </summary>
    public static IEndpointConventionBuilder AsSimulatorEndpoint(this IEndpointConventionBuilder builder) =>
        builder.AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
}
