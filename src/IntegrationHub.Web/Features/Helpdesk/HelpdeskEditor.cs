using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>The editor's form: where the file lives, its metadata and its Markdown.</summary>
public sealed class HelpdeskArticleForm
{
    public string Locale { get; set; } = "en";

    public string ContentType { get; set; } = "articles";

    public string? Folder { get; set; }

    public string? Slug { get; set; }

    public string? Title { get; set; }

    public string? Description { get; set; }

    public string? Markdown { get; set; }

    public bool Published { get; set; }

    public bool Hidden { get; set; }

    public bool Featured { get; set; }

    public int? Position { get; set; }

    /// <summary>The author saw Crisp's changed copy and chose to replace it.</summary>
    public bool Overwrite { get; set; }

    /// <summary>Hash of Crisp's content the editing started from (a hidden field), so the author's own edit is not drift.</summary>
    public string? Baseline { get; set; }

    public string FolderPath => (Folder ?? "").Trim().Trim('/');

    public string SlugValue => (Slug ?? "").Trim();

    public string TreePath => HelpdeskPaths.FilePath(FolderPath, SlugValue);

    /// <summary>What is wrong with the form; <paramref name="publishing"/> adds what only matters once it is queued.</summary>
    public List<string> Validate(bool publishing = false)
    {
        var errors = new List<string>();
        if (!HelpdeskPaths.IsLocale(Locale))
        {
            errors.Add("Locale must be an ISO-639-1 code such as en or pt-br.");
        }

        if (!HelpdeskPaths.IsContentType(ContentType))
        {
            errors.Add("Content type must be articles, guides, references or news.");
        }

        if (HelpdeskPaths.FolderError(FolderPath) is { } folder)
        {
            errors.Add(folder);
        }

        if (HelpdeskPaths.SlugError(SlugValue) is { } slug)
        {
            errors.Add(slug);
        }

        if (string.IsNullOrWhiteSpace(Title) || Title.Length > 300)
        {
            errors.Add("Title is required (at most 300 characters).");
        }
        else if (HelpdeskPaths.HasControlCharacters(Title, allowNewlines: false))
        {
            errors.Add("Title must be one line without control characters.");
        }

        if (Description is { Length: > 1000 })
        {
            errors.Add("Description must be at most 1000 characters.");
        }

        if ((Markdown ?? "").Length > HelpdeskPaths.MaxMarkdownLength)
        {
            errors.Add($"Markdown must be at most {HelpdeskPaths.MaxMarkdownLength} characters.");
        }

        if (Position is < 0 or > 10_000)
        {
            errors.Add("Position must be from 0 to 10000.");
        }

        if (publishing && errors.Count == 0 && KbWrite.ContentError(Locale, ContentType, TreePath, HelpdeskPaths.NormalizeNewlines(Markdown ?? "")) is { } tooLong)
        {
            errors.Add(tooLong);
        }

        return errors;
    }

    public HelpdeskDoc ToDoc(bool published) => new(
        Locale, ContentType, FolderPath, SlugValue, Title!.Trim(), string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
        published, Hidden, Featured, Position, HelpdeskPaths.NormalizeNewlines(Markdown ?? ""));

    public static HelpdeskArticleForm From(HelpdeskArticle a) => new()
    {
        Locale = a.Locale, ContentType = a.ContentType, Folder = a.FolderPath, Slug = a.Slug, Title = a.Title, Description = a.Description,
        Markdown = a.Markdown, Published = a.Published, Hidden = a.Hidden, Featured = a.Featured, Position = a.Position, Baseline = a.RemoteContentHash,
    };
}

/// <summary>Crisp's copy changed since the hub last saw it: both versions, so the author can decide.</summary>
public sealed record HelpdeskDrift(string RemoteMarkdown, string? RemoteTitle, string LocalMarkdown);

/// <summary>A queued publish (<see cref="Sync"/>), or why nothing was queued: drift, or a <see cref="Refusal"/> to show.</summary>
public sealed record PublishResult(HelpdeskSync? Sync, HelpdeskDrift? Drift, string? Refusal = null);

/// <summary>
/// The dashboard's article operations. Drafts stay local; publish, unpublish, move and delete become a sync run of
/// queued Crisp calls. Before overwriting, the editor checks that Crisp's copy is one the hub knows (the content it
/// last read, or the content it last sent); anything else is drift and needs the author's explicit overwrite.
/// </summary>
public sealed class HelpdeskEditor(HubDbContext db, TenantContext tenant, HelpdeskRemote remote, HelpdeskPlanner planner, HelpdeskSyncRunner runner, TimeProvider clock)
{
    public Task<HelpdeskArticle?> FindAsync(string locale, string contentType, string folder, string slug, CancellationToken ct) =>
        db.Set<HelpdeskArticle>().FirstOrDefaultAsync(a => a.Locale == locale && a.ContentType == contentType && a.FolderPath == folder && a.Slug == slug, ct);

    public async Task<List<HelpdeskArticle>> ListAsync(CancellationToken ct) =>
        await db.Set<HelpdeskArticle>().AsNoTracking().OrderBy(a => a.Locale).ThenBy(a => a.ContentType).ThenBy(a => a.FolderPath).ThenBy(a => a.Slug).ToListAsync(ct);

    /// <summary>Drift of <paramref name="article"/> against Crisp's current copy (null: none, or no remote copy).</summary>
    public static HelpdeskDrift? DriftOf(HelpdeskArticle? article, RemoteFile? current, string localMarkdown, string? baseline = null)
    {
        if (current is null)
        {
            return null;
        }

        var known = HelpdeskPaths.IsHashOf(baseline, current.Content)
            || (article is not null && (HelpdeskPaths.IsHashOf(article.RemoteContentHash, current.Content) || HelpdeskPaths.IsHashOf(article.PublishedContentHash, current.Content)));
        return known || current.ContentHash == HelpdeskPaths.ContentHash(localMarkdown) ? null : new HelpdeskDrift(current.Content, current.Title, localMarkdown);
    }

    public async Task<HelpdeskArticle> SaveDraftAsync(HelpdeskArticleForm form, CancellationToken ct)
    {
        var article = await FindAsync(form.Locale, form.ContentType, form.FolderPath, form.SlugValue, ct);
        var now = clock.GetUtcNow();
        var created = article is null;
        if (article is null)
        {
            article = new HelpdeskArticle
            {
                Id = Guid.CreateVersion7(),
                TenantId = tenant.Require(),
                Locale = form.Locale,
                ContentType = form.ContentType,
                FolderPath = form.FolderPath,
                Slug = form.SlugValue,
                Title = "",
                CreatedAt = now,
            };
            db.Add(article);
        }

        Apply(form, article, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (created && UniqueKeyViolation.Is(ex))
        {
            // The same new article saved twice at once (a double click, two tabs): the other save created the row,
            // so this one updates it, as it would have a moment later.
            db.Entry(article).State = EntityState.Detached;
            article = await FindAsync(form.Locale, form.ContentType, form.FolderPath, form.SlugValue, ct) ?? throw new InvalidOperationException("The article that refused the insert is gone.", ex);
            Apply(form, article, now);
            await db.SaveChangesAsync(ct);
        }

        return article;
    }

    private static void Apply(HelpdeskArticleForm form, HelpdeskArticle article, DateTimeOffset now)
    {
        article.Title = form.Title!.Trim();
        article.Description = string.IsNullOrWhiteSpace(form.Description) ? null : form.Description.Trim();
        article.Markdown = HelpdeskPaths.NormalizeNewlines(form.Markdown ?? "");
        article.Hidden = form.Hidden;
        article.Featured = form.Featured;
        article.Position = form.Position;
        article.UpdatedAt = now;
        if (article.RemoteContentHash is null && form.Baseline is { Length: 64 } baseline)
        {
            // Opened from Crisp's tree: remember which remote copy this draft started from.
            article.RemoteContentHash = baseline;
        }
    }

    /// <summary>Saves the draft, then queues create/content/metadata (state published) unless Crisp's copy drifted and
    /// <see cref="HelpdeskArticleForm.Overwrite"/> is not set.</summary>
    public async Task<PublishResult> PublishAsync(HelpdeskArticleForm form, string? user, CancellationToken ct)
    {
        var websiteId = tenant.Require();
        // The draft is kept first, whatever happens next (Crisp unreachable, drift).
        var article = await SaveDraftAsync(form, ct);
        // The locale is typed by the author; Crisp's answer for a locale its helpdesk lacks is not documented, so the hub
        // asks Crisp's list (as a docs sync does) rather than report a failed read to be tried again later.
        if (!(await remote.LocalesAsync(websiteId, ct)).Contains(form.Locale, StringComparer.Ordinal))
        {
            return new PublishResult(null, null, $"Locale '{form.Locale}' does not exist in this website's helpdesk: add it in Crisp first, or choose another. The draft is saved.");
        }

        var current = await remote.FindFileAsync(websiteId, form.Locale, form.ContentType, form.TreePath, ct);
        var drift = DriftOf(article, current, article.Markdown, form.Baseline);
        if (drift is not null && !form.Overwrite)
        {
            return new PublishResult(null, drift);
        }

        var doc = form.ToDoc(published: true);
        var item = await planner.PlanFileAsync(websiteId, doc, ct);
        if (item.Action == HelpdeskPlanAction.Error)
        {
            return new PublishResult(null, null, $"{item.Detail} The draft is saved.");
        }

        var plan = new HelpdeskPlan();
        plan.Items.Add(item);
        var sync = await runner.EnqueueAsync(plan, "dashboard", user, prune: false, ct);
        var now = clock.GetUtcNow();
        article.Published = true;
        article.PublishedContentHash = HelpdeskPaths.ContentHash(doc.Markdown);
        article.RemoteContentHash = current?.ContentHash;
        article.RemoteCheckedAt = now;
        article.PublishedAt = now;
        await db.SaveChangesAsync(ct);
        return new PublishResult(sync, null);
    }

    public async Task<HelpdeskSync> UnpublishAsync(string locale, string contentType, string path, string? user, CancellationToken ct)
    {
        var item = new PlanItem { Locale = locale, ContentType = contentType, Path = path, Action = HelpdeskPlanAction.UpdateMetadata, Detail = "unpublish" };
        item.Writes.Add(KbWrite.State(locale, contentType, path, published: false));
        var (folder, slug) = HelpdeskPaths.SplitFilePath(path);
        if (await FindAsync(locale, contentType, folder, slug, ct) is { } article)
        {
            article.Published = false;
            article.UpdatedAt = clock.GetUtcNow();
        }

        return await RunAsync(item, user, ct);
    }

    /// <summary>Moves/renames (new folder or slug, missing folders created first) and/or reorders a file; the caller has
    /// made sure nothing is at the new path.</summary>
    public async Task<HelpdeskSync> MoveAsync(string locale, string contentType, string path, string toFolder, string toSlug, int? position, string? user, CancellationToken ct)
    {
        var target = HelpdeskPaths.FilePath(toFolder, toSlug);
        var moving = target != path;
        var item = new PlanItem { Locale = locale, ContentType = contentType, Path = path, Action = HelpdeskPlanAction.Move, Detail = moving ? $"to {target}" : $"to position {position}" };
        if (moving)
        {
            var folders = (await remote.TreeAsync(tenant.Require(), locale, contentType, ct)).Where(n => n.IsFolder).Select(n => n.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var folder in HelpdeskPaths.FolderChain(toFolder).Where(f => !folders.Contains(f)))
            {
                item.Writes.Add(KbWrite.Create(locale, contentType, folder));
            }
        }

        // The local draft stays where it is until Crisp accepted the move (HelpdeskDraftMoves, run by the delivery drain):
        // a move that fails must not leave the draft attached to another article.
        item.Writes.Add(KbWrite.Move(locale, contentType, path, moving ? target : null, position));
        return await RunAsync(item, user, ct);
    }

    public async Task<HelpdeskSync> DeleteAsync(string locale, string contentType, string path, string? user, CancellationToken ct)
    {
        var item = new PlanItem { Locale = locale, ContentType = contentType, Path = path, Action = HelpdeskPlanAction.Delete };
        item.Writes.Add(KbWrite.Delete(locale, contentType, path));
        var (folder, slug) = HelpdeskPaths.SplitFilePath(path);
        if (await FindAsync(locale, contentType, folder, slug, ct) is { } article)
        {
            db.Remove(article);
        }

        return await RunAsync(item, user, ct);
    }

    private Task<HelpdeskSync> RunAsync(PlanItem item, string? user, CancellationToken ct)
    {
        var plan = new HelpdeskPlan();
        plan.Items.Add(item);
        return runner.EnqueueAsync(plan, "dashboard", user, prune: false, ct);
    }
}
