using System.Security.Claims;
using System.Text.Encodings.Web;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IntegrationHub.Web.Features.ApiKeys;

public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyCache cache,
    ApiKeyUsage usage,
    TenantContext tenant)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers[HeaderNames.Authorization];
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Authorization must be 'Bearer <api key>'.");
        }

        // A recently verified key is answered from memory; ApiKeyService (and its DbContext) only on a miss.
        var key = ApiKeyService.TryAuthenticateCached(header.AsSpan("Bearer ".Length).Trim(), cache, out var cached)
            ? cached
            : await Context.RequestServices.GetRequiredService<ApiKeyService>().AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (key is null)
        {
            // One answer for unknown, revoked and uninstalled: the caller learns nothing about which.
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        // The key, and only the key, decides which tenant this request acts for.
        tenant.Use(key.TenantId);
        usage.Record(key);
        var identity = new ClaimsIdentity(SchemeName);
        Add(identity, HubClaims.TenantId, key.TenantId.ToString("D"));
        Add(identity, HubClaims.ApiKeyId, key.Id.ToString("D"));
        Add(identity, ClaimTypes.Name, $"apikey:{key.Prefix}");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    // Made with the identity as its subject: a claim of another subject is copied when added.
    private static void Add(ClaimsIdentity identity, string type, string value) =>
        identity.AddClaim(new Claim(type, value, ClaimValueTypes.String, ClaimsIdentity.DefaultIssuer, ClaimsIdentity.DefaultIssuer, identity));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = "Send a valid, unrevoked API key of an installed website as 'Authorization: Bearer <key>'.",
                Type = "https://integrationhub.dev/problems/unauthorized",
            },
        });
    }
}
