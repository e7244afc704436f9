using System.Security.Cryptography;
using System.Text;
using Hangfire;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.HookReactions;

/// <summary>
/// <c>POST /crisp/hooks/website/{websiteId}?key=…</c>: Crisp Website Hooks are not signed, so the URL carries a
/// per-tenant random key (tenant secret <see cref="SecretName"/>), compared in constant time. Accepted hooks go to
/// the same inbox and processor as plugin hooks.
/// </summary>
public static class WebsiteHookIntake
{
    public const string SecretName = "hooks.website_key";

    public static string Path(Guid websiteId) => $"/crisp/hooks/website/{websiteId:D}";

    public static IEndpointRouteBuilder MapWebsiteHookIntake(this IEndpointRouteBuilder endpoints)
    {
        // Not named {websiteId}: that route value is the dashboard's membership-checked tenant key.
        endpoints.MapPost("/crisp/hooks/website/{hookWebsiteId:guid}", HandleAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    public static RouteGroupBuilder MapWebsiteHookApi(this RouteGroupBuilder api)
    {
        api.MapGet("/hooks/website-url", GetUrlAsync)
            .WithName("GetWebsiteHookUrl")
            .WithTags("Hooks")
            .WithSummary("Whether a Website Hook URL exists (the key is never shown again)");
        api.MapPost("/hooks/website-url", RegenerateUrlAsync)
            .WithName("RegenerateWebsiteHookUrl")
            .WithTags("Hooks")
            .WithSummary("Creates a new Website Hook key and returns the full URL once; the previous URL stops working");
        return api;
    }

    public sealed record WebsiteHookUrlResponse(bool Configured, string Endpoint, string? Url);

    private static async Task<Ok<WebsiteHookUrlResponse>> GetUrlAsync(HttpContext http, TenantContext tenant, TenantSecrets secrets, CancellationToken cancellationToken)
    {
        var configured = await secrets.GetAsync(SecretName, cancellationToken) is not null;
        return TypedResults.Ok(new WebsiteHookUrlResponse(configured, Base(http) + Path(tenant.Require()), null));
    }

    private static async Task<Ok<WebsiteHookUrlResponse>> RegenerateUrlAsync(HttpContext http, TenantContext tenant, TenantSecrets secrets, HubDbContext db, CancellationToken cancellationToken)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await secrets.SetAsync(SecretName, key, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var endpoint = Base(http) + Path(tenant.Require());
        return TypedResults.Ok(new WebsiteHookUrlResponse(true, endpoint, endpoint + "?key=" + key));
    }

    private static string Base(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}";

    private static async Task<IResult> HandleAsync(
        Guid hookWebsiteId,
        HttpContext http,
        HubDbContext db,
        TenantContext tenant,
        TenantSecrets secrets,
        IBackgroundJobClient jobs,
        IOptions<HookOptions> options,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var websiteId = hookWebsiteId;
        var logger = loggers.CreateLogger(typeof(WebsiteHookIntake));
        var given = http.Request.Query["key"].ToString();
        if (given.Length is 0 or > 200
            || !await db.Tenants.AcrossTenants().AnyAsync(t => t.Id == websiteId && t.Status == TenantStatus.Active, cancellationToken))
        {
            return Unauthorized();
        }

        tenant.Use(websiteId);
        string? expected;
        try
        {
            expected = await secrets.GetAsync(SecretName, cancellationToken);
        }
        catch (CryptographicException ex)
        {
            logger.LogError(ex, "Website hook key of {WebsiteId} does not decrypt.", websiteId);
            return Unauthorized();
        }

        // Hashes first: equal lengths, so the comparison time says nothing about the key.
        if (expected is null || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            logger.LogWarning("Website hook for {WebsiteId} rejected: missing or wrong key.", websiteId);
            return Unauthorized();
        }

        if (HookIntake.RefusedEncoding(http.Request) is { } encoding)
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: encoding);
        }

        var limit = options.Value.MaxBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"A hook body may be at most {limit} bytes.");
        }

        var body = await HookIntake.ReadBodyAsync(http, limit, cancellationToken);
        if (body is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, detail: $"A hook body may be at most {limit} bytes.");
        }

        if (!HookIntake.IsJsonContentType(http.Request.ContentType))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, detail: HookIntake.JsonContentTypeRequired);
        }

        if (!HookIntake.TryParse(body, out var envelope, out var error))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: error);
        }

        // Install and settings events come from Crisp's signed plugin hooks only: whoever holds this unsigned URL
        // (it sits in the website's Crisp settings) must not rewrite the hub's copy of the plugin settings.
        if (envelope.Event.StartsWith("plugin:", StringComparison.Ordinal))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "Plugin events are accepted only as signed Plugin Hooks on /crisp/hooks.");
        }

        if (envelope.WebsiteId is { } claimed && claimed != websiteId)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "'website_id' does not match the URL.");
        }

        return await HookIntake.StoreAsync(db, jobs, clock, envelope with { WebsiteId = websiteId }, body, cancellationToken);
    }

    private static IResult Unauthorized() => Results.StatusCode(StatusCodes.Status401Unauthorized);
}
