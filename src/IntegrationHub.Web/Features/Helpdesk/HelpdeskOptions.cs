namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>Limits of docs-as-code syncs (<c>Helpdesk:*</c>).</summary>
public sealed class HelpdeskOptions
{
    public const string Section = "Helpdesk";

    /// <summary>Largest accepted zip upload (bytes); beyond it the whole archive is refused with 413.</summary>
    public long MaxArchiveBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Largest single Markdown file once unpacked (bytes).</summary>
    public int MaxFileBytes { get; set; } = 512 * 1024;

    /// <summary>Most files (entries) in one archive or folder.</summary>
    public int MaxFiles { get; set; } = 2000;

    /// <summary>Most bytes unpacked from one archive in total (zip-bomb guard).</summary>
    public long MaxUnpackedBytes { get; set; } = 64 * 1024 * 1024;
}
