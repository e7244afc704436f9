namespace IntegrationHub.Web.Features.Hooks;

public sealed class HookOptions
{
    public const string Section = "Hooks";

    /// <summary>How far X-Crisp-Request-Timestamp may be from now (either way) before a hook counts as a replay.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest hook body accepted.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The smallest limit start-up accepts: below it even Crisp's smallest hooks would be refused.</summary>
    public const int MinBodyBytes = 1024;

    /// <summary>The largest limit start-up accepts: what <c>hook_inbox.payload</c> (and a relay delivery's copy) holds, in
    /// characters — a UTF-8 body has at most one character per byte. Above it a signed hook was answered 500 on
    /// PostgreSQL, and Crisp's retries lost it.</summary>
    public const int MaxStoredBodyBytes = 300_000;
}
