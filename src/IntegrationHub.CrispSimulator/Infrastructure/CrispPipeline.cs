using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IntegrationHub.CrispSimulator.Plugin;

namespace IntegrationHub.CrispSimulator.Infrastructure;

/// <summary>
/// Runs every REST request: buffer body → injected faults → auth (401 <c>invalid_session</c>) → tier
/// (403 <c>restricted_route_tier</c>) → website access (404 <c>not_subscribed</c> / 403 <c>not_allowed</c>) →
/// daily plugin quota (429 <c>quota_limit_exceeded</c>) → per-website budget (429/420 <c>rate_limited</c>) →
/// handler, under the state lock. Every outcome is journaled; any unexpected exception becomes 500 <c>internal_error</c>.
/// </summary>
public sealed class CrispPipeline(CrispSimulatorState state, ILogger<CrispPipeline> logger)
{
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    public async Task ExecuteAsync(HttpContext http, string prefix, IReadOnlyList<string> tiers, Func<CrispCall, CrispResult> handler)
    {
        var time = state.Now;
        var websiteId = http.GetRouteValue("website_id") as string;
        var path = RelativePath(http, prefix);
        var query = http.Request.QueryString.Value ?? "";
        var body = await ReadBodyAsync(http);
        var bodyText = body is null ? "" : Encoding.UTF8.GetString(body);
        string? tier = null;
        CrispResult result;
        try
        {
            var fault = DecideFault(websiteId);
            if (fault.Drop)
            {
                state.AppendJournal(time, websiteId, http.Request.Method, path, query, null, 0, "connection_dropped", bodyText);
                http.Abort();
                return;
            }

            if (fault.LatencyMs > 0)
            {
                await Task.Delay(fault.LatencyMs, http.RequestAborted);
            }

            if (fault.ErrorStatus is { } errorStatus)
            {
                result = CrispResult.Fail(errorStatus, errorStatus == 503 ? "service_unavailable" : "internal_error");
            }
            else if (body is null)
            {
                result = CrispResult.Fail(413, "invalid_data", $"Body larger than {MaxBodyBytes} bytes.");
            }
            else
            {
                lock (state.Sync)
                {
                    result = Handle(http, tiers, websiteId, body, handler, out tier);
                }
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            state.AppendJournal(time, websiteId, http.Request.Method, path, query, tier, 499, "client_closed_request", bodyText);
            return;
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Crisp simulator failed on {Method} {Path}", http.Request.Method, path);
            result = CrispResult.Fail(500, "internal_error");
        }

        state.AppendJournal(time, websiteId, http.Request.Method, path, query, tier, result.StatusCode, result.Reason, bodyText);
        await result.ExecuteAsync(http);
    }

    /// <summary>Admin API: no auth, no limits, no journal; same envelope and the same safety net.</summary>
    public async Task ExecuteAdminAsync(HttpContext http, Func<CrispCall, CrispResult> handler)
    {
        var body = await ReadBodyAsync(http);
        CrispResult result;
        try
        {
            if (body is null)
            {
                result = CrispResult.Fail(413, "invalid_data");
            }
            else
            {
                lock (state.Sync)
                {
                    var websiteId = http.GetRouteValue("website_id") as string;
                    var website = websiteId is null ? null : state.FindWebsite(websiteId);
                    result = handler(new CrispCall(http, state, "admin", website, body));
                }
            }
        }
        catch (CrispApiException exception)
        {
            result = CrispResult.From(exception);
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Crisp simulator admin API failed on {Method} {Path}", http.Request.Method, http.Request.Path);
            result = CrispResult.Fail(500, "internal_error");
        }

        await result.ExecuteAsync(http);
    }

    private CrispResult Handle(
        HttpContext http, IReadOnlyList<string> tiers, string? websiteId, byte[] body, Func<CrispCall, CrispResult> handler, out string? tier)
    {
        tier = null;
        try
        {
            var (authenticatedTier, tokenWebsite) = Authenticate(http);
            tier = authenticatedTier;
            if (!tiers.Contains(authenticatedTier))
            {
                return CrispResult.Fail(403, "restricted_route_tier");
            }

            SimWebsite? website = null;
            if (websiteId is not null)
            {
                website = state.FindWebsite(websiteId);
                if (authenticatedTier == "plugin" && website is not { Installed: true })
                {
                    return CrispResult.Fail(404, "not_subscribed");
                }

                if (authenticatedTier == "website" && !ReferenceEquals(website, tokenWebsite))
                {
                    return CrispResult.Fail(403, "not_allowed");
                }
            }

            var now = state.Now;
            if (authenticatedTier == "plugin" && !state.Quota.TryTake(now))
            {
                return WithRetryAfter(CrispResult.Fail(state.Quota.Status, "quota_limit_exceeded"), state.Quota.RetryAfterSeconds);
            }

            if (website is not null && !website.Budget.TryTake(now))
            {
                return WithRetryAfter(CrispResult.Fail(website.Budget.Status, "rate_limited"), website.Budget.RetryAfterSeconds);
            }

            return handler(new CrispCall(http, state, authenticatedTier, website, body));
        }
        catch (CrispApiException exception)
        {
            return CrispResult.From(exception);
        }
    }

    private (string Tier, SimWebsite? TokenWebsite) Authenticate(HttpContext http)
    {
        var tier = http.Request.Headers["X-Crisp-Tier"].ToString();
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            throw new CrispApiException(401, "invalid_session");
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            throw new CrispApiException(401, "invalid_session");
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new CrispApiException(401, "invalid_session");
        }

        var identifier = decoded[..colon];
        var key = decoded[(colon + 1)..];
        if (string.Equals(tier, "plugin", StringComparison.OrdinalIgnoreCase)
            && SecretEquals(identifier, state.Options.PluginIdentifier) && SecretEquals(key, state.Options.PluginKey))
        {
            return ("plugin", null);
        }

        if (string.Equals(tier, "website", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var website in state.Websites)
            {
                if (website.Token is { } token && SecretEquals(identifier, token.Identifier) && SecretEquals(key, token.Key))
                {
                    return ("website", website);
                }
            }
        }

        // No user-tier accounts exist in the simulator: user tier never authenticates.
        throw new CrispApiException(401, "invalid_session");
    }

    private static bool SecretEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static CrispResult WithRetryAfter(CrispResult result, int? seconds) =>
        seconds is { } value ? result.WithHeader("Retry-After", value.ToString(CultureInfo.InvariantCulture)) : result;

    private (bool Drop, int LatencyMs, int? ErrorStatus) DecideFault(string? websiteId)
    {
        lock (state.Sync)
        {
            var faults = state.Faults;
            if (faults.WebsiteId is not null && !string.Equals(faults.WebsiteId, websiteId, StringComparison.OrdinalIgnoreCase))
            {
                return (false, 0, null);
            }

            var drop = faults.DropRate > 0 && Random.Shared.NextDouble() < faults.DropRate;
            var error = faults.ErrorRate > 0 && Random.Shared.NextDouble() < faults.ErrorRate;
            return (drop, faults.LatencyMs, error ? faults.ErrorStatus : null);
        }
    }

    private static string RelativePath(HttpContext http, string prefix)
    {
        var path = http.Request.Path.Value ?? "";
        return prefix.Length > 0 && path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? path[prefix.Length..] : path;
    }

    /// <summary>The whole body, or null when it exceeds <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
