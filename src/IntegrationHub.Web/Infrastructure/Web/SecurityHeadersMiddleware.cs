namespace IntegrationHub.Web.Infrastructure.Web;

/// <summary>
/// Baseline headers on every response. Framing is refused everywhere; the Crisp settings page (which Crisp
/// iframes) sets its own frame-ancestors and marks the response so this middleware leaves it alone. JSON answers of
/// the public API are never rendered as documents: they get no-sniffing and no-framing only (the API set OWASP
/// recommends), not the dashboard's document policy and referrer policy, which would only lengthen every answer a
/// customer backend parses.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string AllowFramingItem = "hub:allow-framing";

    /// <summary>Marks a page that shows what a helpdesk article will look like: its images are on other hosts (Crisp's
    /// storage, the author's CDN), which the page may load over https. Its scripts stay the hub's own.</summary>
    public const string AllowRemoteImagesItem = "hub:allow-remote-images";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                return Task.CompletedTask;
            }

            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            if (!context.Items.ContainsKey(AllowFramingItem))
            {
                headers.XFrameOptions = "DENY";
                if (!context.Request.Path.StartsWithSegments("/swagger") && !context.Request.Path.StartsWithSegments("/hangfire"))
                {
                    var images = context.Items.ContainsKey(AllowRemoteImagesItem) ? "'self' data: https:" : "'self' data:";
                    headers.ContentSecurityPolicy = $"default-src 'self'; img-src {images}; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
                }
                else
                {
                    headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                }
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
