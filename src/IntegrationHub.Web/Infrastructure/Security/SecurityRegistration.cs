using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Security;

public static class SecurityRegistration
{
    public static WebApplicationBuilder AddHubSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LoginThrottle>();
        // No "Server: Kestrel" on every answer: it tells a scanner what to try and nobody else needs it.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        var secure = builder.Configuration.GetValue<bool?>($"{SecurityOptions.Section}:{nameof(SecurityOptions.SecureCookies)}")
                     ?? !builder.Environment.IsDevelopment();
        var policy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        builder.Services.ConfigureApplicationCookie(options => options.Cookie.SecurePolicy = policy);
        // The antiforgery cookie is Secure on every HTTPS request (all of them behind TLS or a trusted proxy), but not
        // forced: with "Always", ASP.NET Core refuses to issue a token on a plain-HTTP request — every form page answered
        // 500 on http://localhost:8080 (the container's documented address, where browsers do keep Secure cookies).
        // The token guards nothing without the sign-in cookie, which stays Secure-only.
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        // Browsers remember HTTPS-only for a year (the common preload minimum); subdomains are left alone because
        // an operator may run other services under the hub's domain.
        builder.Services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The operator vouches for the proxy by switching the option on; its address is not known in advance
            // (container networks), so the defaults' loopback-only list would ignore every real proxy.
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            options.ForwardLimit = 1;
        });
        return builder;
    }

    public static WebApplication UseHubForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.TrustForwardedHeaders)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
