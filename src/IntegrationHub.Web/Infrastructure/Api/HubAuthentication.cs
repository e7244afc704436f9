using IntegrationHub.Web.Features.ApiKeys;
using Microsoft.AspNetCore.Identity;

namespace IntegrationHub.Web.Infrastructure.Api;

/// <summary>
/// The hub's default authentication scheme: a policy scheme that forwards to the API-key scheme for everything under
/// <c>/api</c> and to the Identity cookie for the dashboard. So a customer backend's request is authenticated by its
/// key alone (a dashboard cookie sent along is ignored there), a dashboard request by its cookie alone, and a failed
/// API request is challenged with 401 problem details rather than a redirect to the login page.
/// </summary>
public static class HubAuthentication
{
    public const string SchemeName = "Hub";

    public static string SchemeFor(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            ? ApiKeyAuthenticationHandler.SchemeName
            : IdentityConstants.ApplicationScheme;
}
