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
}
