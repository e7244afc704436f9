using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Web.Infrastructure.Security;

/// <summary>Browser-facing hardening knobs (<c>Security:*</c>). See the README's configuration table.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Mark the sign-in and antiforgery cookies Secure on every response. Null means "outside Development":
    /// a production hub is served over HTTPS (directly or behind a TLS proxy that forwards the scheme), and a
    /// cookie marked Secure by request scheme alone would lose the flag behind such a proxy.
    /// </summary>
    public bool? SecureCookies { get; set; }

    /// <summary>Sign-in attempts (form posts) per client address per minute, on top of the per-account lockout.</summary>
    [Range(1, 1_000_000)]
    public int LoginAttemptsPerMinute { get; set; } = 20;

    /// <summary>Honour X-Forwarded-For / X-Forwarded-Proto from the reverse proxy in front of the hub. Only switch
    /// this on behind a proxy that overwrites those headers, or clients could pick their own address.</summary>
    public bool TrustForwardedHeaders { get; set; }
}
