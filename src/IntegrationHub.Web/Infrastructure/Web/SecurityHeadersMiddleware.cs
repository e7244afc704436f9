namespace IntegrationHub.Web.Infrastructure.Web;

/// <summary>
/// Baseline headers on every response. Framing is refused everywhere; the Crisp settings page (which Crisp
/// iframes) sets its own frame-ancestors and marks the response so this middleware leaves it alone.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string AllowFramingItem = "hub:allow-framing";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            if (!context.Items.ContainsKey(AllowFramingItem))
            {
                headers.XFrameOptions = "DENY";
                if (!context.Request.Path.StartsWithSegments("/swagger") && !context.Request.Path.StartsWithSegments("/hangfire"))
                {
                    headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
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
