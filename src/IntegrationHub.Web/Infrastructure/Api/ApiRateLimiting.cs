using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Api;

/// <summary>Inbound API limits per tenant (<c>Api:RateLimit</c>).</summary>
public sealed class ApiRateLimitOptions
{
    public const string Section = "Api:RateLimit";

    /// <summary>Sustained requests per second per website (all of its API keys together).</summary>
    [Range(1, 10_000_000)]
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests a website may make at once above the sustained rate (the token bucket's size).</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 200;
}

public static class ApiRateLimiting
{
    public const string Policy = "api-per-tenant";

    /// <summary>
    /// A token bucket per tenant (see <see cref="TenantTokenBucketPolicy"/>). A rejected request gets 429 problem
    /// details with Retry-After.
    /// </summary>
    public static WebApplicationBuilder AddHubApiRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiRateLimitOptions>().BindConfiguration(ApiRateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy<Guid, TenantTokenBucketPolicy>(Policy);
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                await ApiProblems.Problem(StatusCodes.Status429TooManyRequests, ApiProblems.TooManyRequests, "Too many requests",
                        string.Create(CultureInfo.InvariantCulture, $"This website's API rate limit is exceeded. Retry after {seconds} s (Retry-After)."),
                        retryAfter: TimeSpan.FromSeconds(seconds))
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }
}

/// <summary>
/// A token bucket per tenant — the tenant the API key authenticated (the limiter runs after authentication) —
/// refilled every 100 ms (or every second when the rate is not a multiple of 10). Made once; the options and the
/// bucket factory are read once, not per request.
/// </summary>
public sealed class TenantTokenBucketPolicy : IRateLimiterPolicy<Guid>
{
    private readonly Func<Guid, TokenBucketRateLimiterOptions> _bucket;

    public TenantTokenBucketPolicy(IOptions<ApiRateLimitOptions> options)
    {
        var limits = options.Value;
        var smooth = limits.PermitsPerSecond % 10 == 0;
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = smooth ? limits.PermitsPerSecond / 10 : limits.PermitsPerSecond,
            ReplenishmentPeriod = smooth ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        _bucket = _ => bucket;
    }

    /// <summary>The global OnRejected answers (problem details with Retry-After).</summary>
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<Guid> GetPartition(HttpContext httpContext) =>
        httpContext.RequestServices.GetRequiredService<TenantContext>().TenantId is { } tenant
            ? RateLimitPartition.GetTokenBucketLimiter(tenant, _bucket)
            // Unauthenticated requests never get here (authorization answers 401 first).
            : RateLimitPartition.GetNoLimiter(Guid.Empty);
}
