using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>
/// An article as the hub knows it: the local draft (what the editor saved) and what the hub last saw of Crisp's copy.
/// Crisp's tree is the truth for what is published; this row is the author's working copy plus drift bookkeeping.
/// </summary>
public sealed class HelpdeskArticle : ITenantOwned
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>ISO-639-1 locale, e.g. <c>en</c>.</summary>
    public required string Locale { get; set; }

    /// <summary>articles, guides, references or news.</summary>
    public required string ContentType { get; set; }

    /// <summary>Folder path inside the content type (category[/section]); empty for the root.</summary>
    public string FolderPath { get; set; } = "";

    /// <summary>File slug without <c>.md</c>.</summary>
    public required string Slug { get; set; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public string Markdown { get; set; } = "";

    public bool Published { get; set; }

    public bool Hidden { get; set; }

    public bool Featured { get; set; }

    /// <summary>Wanted index among its siblings; null leaves Crisp's order alone.</summary>
    public int? Position { get; set; }

    /// <summary>Hash of Crisp's content when the hub last read it (null: never seen in Crisp).</summary>
    public string? RemoteContentHash { get; set; }

    /// <summary>Hash of the content the hub last sent to Crisp (its write may still be in the queue).</summary>
    public string? PublishedContentHash { get; set; }

    /// <summary>When the hub last compared with Crisp's copy (the remote-updated marker shown in the editor).</summary>
    public DateTimeOffset? RemoteCheckedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string TreePath => HelpdeskPaths.FilePath(FolderPath, Slug);
}

/// <summary>What one sync item does to one path.</summary>
public static class HelpdeskPlanAction
{
    public const string Create = "create";
    public const string UpdateContent = "update-content";
    public const string UpdateMetadata = "update-metadata";
    public const string Move = "move";
    public const string Delete = "delete";
    public const string Unchanged = "unchanged";
    public const string Error = "error";
}

/// <summary>
/// One run of writes to a tenant's knowledge base (a docs sync, or a publish/move/delete from the dashboard). Its
/// progress is the state of the Crisp calls each item enqueued.
/// </summary>
public sealed class HelpdeskSync : ITenantOwned
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>api, cli or dashboard.</summary>
    public required string Source { get; set; }

    /// <summary>Who started it (user name, API key name or "cli").</summary>
    public string? StartedBy { get; set; }

    public bool Prune { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<HelpdeskSyncItem> Items { get; set; } = [];
}

/// <summary>One path of a sync run and the calls it enqueued (none for unchanged and refused files).</summary>
public sealed class HelpdeskSyncItem : ITenantOwned
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid SyncId { get; set; }

    public required string Locale { get; set; }

    public required string ContentType { get; set; }

    /// <summary>Tree path (or, for refused input, the file name as given: see <see cref="PathIsInputName"/>).</summary>
    public required string Path { get; set; }

    /// <summary>A refused input file: <see cref="Path"/> already holds locale and content type.</summary>
    public bool PathIsInputName { get; set; }

    /// <summary>Where the item is, written as the input lays files out: <c>&lt;locale&gt;/&lt;content type&gt;/&lt;path&gt;</c>.</summary>
    public string InputPath => PathIsInputName ? Path : $"{Locale}/{ContentType}/{Path}";

    public required string Action { get; set; }

    /// <summary>What changes, or why the file was refused.</summary>
    public string? Detail { get; set; }

    /// <summary>Outbox call ids, comma-separated, in the order they run.</summary>
    public string CallIds { get; set; } = "";

    public IReadOnlyList<long> CallIdList =>
        CallIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
}

internal sealed class HelpdeskArticleConfiguration : IEntityTypeConfiguration<HelpdeskArticle>
{
    public void Configure(EntityTypeBuilder<HelpdeskArticle> builder)
    {
        builder.ToTable("helpdesk_articles");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Locale).HasMaxLength(16);
        builder.Property(a => a.ContentType).HasMaxLength(16);
        builder.Property(a => a.FolderPath).HasMaxLength(HelpdeskPaths.MaxPathLength);
        builder.Property(a => a.Slug).HasMaxLength(HelpdeskPaths.MaxSegmentLength);
        builder.Property(a => a.Title).HasMaxLength(300);
        builder.Property(a => a.Description).HasMaxLength(1000);
        builder.Property(a => a.Markdown).HasMaxLength(HelpdeskPaths.MaxMarkdownLength);
        builder.Property(a => a.RemoteContentHash).HasMaxLength(64);
        builder.Property(a => a.PublishedContentHash).HasMaxLength(64);
        builder.Ignore(a => a.TreePath);
        builder.HasIndex(a => new { a.TenantId, a.Locale, a.ContentType, a.FolderPath, a.Slug }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HelpdeskSyncConfiguration : IEntityTypeConfiguration<HelpdeskSync>
{
    public void Configure(EntityTypeBuilder<HelpdeskSync> builder)
    {
        builder.ToTable("helpdesk_syncs");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Source).HasMaxLength(16);
        builder.Property(s => s.StartedBy).HasMaxLength(256);
        builder.HasIndex(s => new { s.TenantId, s.CreatedAt });
        builder.HasMany(s => s.Items).WithOne().HasForeignKey(i => i.SyncId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HelpdeskSyncItemConfiguration : IEntityTypeConfiguration<HelpdeskSyncItem>
{
    public void Configure(EntityTypeBuilder<HelpdeskSyncItem> builder)
    {
        builder.ToTable("helpdesk_sync_items");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Locale).HasMaxLength(16);
        builder.Property(i => i.ContentType).HasMaxLength(16);
        builder.Property(i => i.Path).HasMaxLength(HelpdeskPaths.MaxPathLength + 64);
        builder.Property(i => i.Action).HasMaxLength(24);
        builder.Property(i => i.Detail).HasMaxLength(1000);
        builder.Property(i => i.CallIds).HasMaxLength(400);
        builder.Ignore(i => i.CallIdList);
        builder.Ignore(i => i.InputPath);
        builder.HasIndex(i => new { i.TenantId, i.SyncId });
    }
}
