using IntegrationHub.Crisp;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>
/// The Knowledge Base in the dashboard: browse Crisp's tree, edit Markdown with a sanitised preview, save drafts,
/// publish / unpublish / move / delete (queued Crisp calls, progress on the sync page), and the list of sync runs.
/// Viewers read; Editors and Owners write.
/// </summary>
[Authorize]
[Route("t/{websiteId}/helpdesk")]
[RequireTenantRole(TenantRole.Viewer)]
public sealed class HelpdeskController(HubDbContext db, HelpdeskRemote remote, HelpdeskEditor editor, MarkdownPreview preview) : Controller
{
    private bool CanEdit => HttpContext.Features.Get<TenantAccess>()?.Allows(TenantRole.Editor) == true;

    private string RouteWebsite => (string)RouteData.Values[DashboardTenantResolver.RouteKey]!;

    private Guid WebsiteId => HttpContext.Features.Get<TenantAccess>()!.TenantId;

    private string Actor => User.Identity?.Name ?? "unknown";

    [HttpGet("")]
    public async Task<IActionResult> Index(string? locale, string? type, CancellationToken cancellationToken)
    {
        var contentType = HelpdeskPaths.IsContentType(type) ? type! : "articles";
        var model = new HelpdeskIndexModel { Website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken), ContentType = contentType, CanEdit = CanEdit };
        // Local copies whose Markdown differs from what was last published (never-published drafts included).
        model.Drafts = (await editor.ListAsync(cancellationToken)).Where(a => !HelpdeskPaths.IsHashOf(a.PublishedContentHash, a.Markdown)).ToList();
        try
        {
            model.Locales = await remote.LocalesAsync(WebsiteId, cancellationToken);
            model.Locale = locale is not null && model.Locales.Contains(locale, StringComparer.Ordinal) ? locale : (model.Locales.Count > 0 ? model.Locales[0] : null);
            if (model.Locale is not null)
            {
                model.Nodes = await remote.TreeAsync(WebsiteId, model.Locale, contentType, cancellationToken);
                model.Descriptions = await remote.DescriptionsAsync(WebsiteId, model.Locale, contentType, model.Nodes, HelpdeskIndexModel.MaxDescriptions, cancellationToken);
            }
        }
        catch (CrispException ex)
        {
            model.Error = CrispError(ex);
        }

        return View("Index", model);
    }

    [HttpGet("edit")]
    public async Task<IActionResult> Edit(string? locale, string? type, string? path, CancellationToken cancellationToken)
    {
        AllowArticleImages();
        var model = await EditorModelAsync(cancellationToken);
        if (path is null)
        {
            model.Form = new HelpdeskArticleForm { Locale = HelpdeskPaths.IsLocale(locale) ? locale! : "en", ContentType = HelpdeskPaths.IsContentType(type) ? type! : "articles", Markdown = "" };
            model.IsNew = true;
            model.Preview = preview.Render("");
            return View("Edit", model);
        }

        if (!HelpdeskPaths.IsLocale(locale) || !HelpdeskPaths.IsContentType(type))
        {
            return NotFound();
        }

        var (folder, slug) = HelpdeskPaths.SplitFilePath(path);
        var article = await editor.FindAsync(locale!, type!, folder, slug, cancellationToken);
        RemoteFile? current = null;
        try
        {
            current = await remote.FindFileAsync(WebsiteId, locale!, type!, path, cancellationToken);
        }
        catch (CrispException ex)
        {
            model.Errors.Add(CrispError(ex));
        }

        if (article is null && current is null)
        {
            if (model.Errors.Count == 0)
            {
                return NotFound();
            }

            // Crisp could not be read and the hub has no copy of its own: nothing to edit, only the reason.
            model.Unavailable = true;
            model.Form = new HelpdeskArticleForm { Locale = locale!, ContentType = type!, Folder = folder, Slug = slug, Markdown = "" };
            model.Errors.Add("This article cannot be shown until Crisp answers: the hub has no local copy of it.");
            model.Preview = preview.Render("");
            return View("Edit", model);
        }

        model.Article = article;
        model.Form = article is not null ? HelpdeskArticleForm.From(article) : new HelpdeskArticleForm
        {
            Locale = locale!, ContentType = type!, Folder = folder, Slug = slug, Title = current!.Title, Description = current.Description,
            Markdown = current.Content, Published = current.Node.Published, Hidden = current.Node.Hidden, Featured = current.Node.Featured,
            Baseline = current.ContentHash,
        };
        model.Remote = current;
        // Opened from Crisp's tree without a local copy: what Crisp holds is the baseline, not drift.
        model.Drift = article is null ? null : HelpdeskEditor.DriftOf(article, current, article.Markdown);
        model.Preview = preview.Render(model.Form.Markdown);
        return View("Edit", model);
    }

    [HttpPost("edit")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Save(HelpdeskArticleForm form, string? intent, CancellationToken cancellationToken)
    {
        AllowArticleImages();
        var model = await EditorModelAsync(cancellationToken);
        model.Form = form;
        model.Preview = preview.Render(form.Markdown);
        model.Errors.AddRange(BindingErrors());
        model.Errors.AddRange(form.Validate(publishing: intent == "publish"));
        if (model.Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Edit", model);
        }

        if (intent != "publish")
        {
            await editor.SaveDraftAsync(form, cancellationToken);
            TempData["Message"] = "Draft saved.";
            return Redirect(EditUrl(form));
        }

        try
        {
            var result = await editor.PublishAsync(form, Actor, cancellationToken);
            if (result.Refusal is not null)
            {
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                model.Errors.Add(result.Refusal);
                return View("Edit", model);
            }

            if (result.Drift is not null)
            {
                Response.StatusCode = StatusCodes.Status409Conflict;
                model.Drift = result.Drift;
                model.Article = await editor.FindAsync(form.Locale, form.ContentType, form.FolderPath, form.SlugValue, cancellationToken);
                model.Errors.Add("Crisp's copy of this article changed since the hub last synced it. Compare both versions below; tick \"Overwrite Crisp's copy\" and publish again to replace it.");
                return View("Edit", model);
            }

            TempData["Message"] = "Publishing: the calls are queued.";
            return Redirect($"/t/{RouteWebsite}/helpdesk/syncs/{result.Sync!.Id:D}");
        }
        catch (CrispException ex)
        {
            Response.StatusCode = ex is HelpdeskMissingException ? StatusCodes.Status409Conflict : StatusCodes.Status502BadGateway;
            model.Errors.Add(CrispError(ex));
            return View("Edit", model);
        }
    }

    /// <summary>The live preview: Markdown in, sanitised HTML fragment out (the page puts it in #preview).</summary>
    [HttpPost("preview")]
    [RequireTenantRole(TenantRole.Editor)]
    public IActionResult Preview(string? markdown)
    {
        if ((markdown ?? "").Length > HelpdeskPaths.MaxMarkdownLength)
        {
            return StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        Response.Headers.CacheControl = "no-store";
        return Content(preview.Render(markdown), "text/html; charset=utf-8");
    }

    [HttpPost("move")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Move(string? locale, string? type, string? path, string? folder, string? slug, int? position, CancellationToken cancellationToken)
    {
        if (!ValidFile(locale, type, path))
        {
            return NotFound();
        }

        var toFolder = (folder ?? "").Trim().Trim('/');
        var toSlug = (slug ?? "").Trim();
        var error = HelpdeskPaths.FolderError(toFolder) ?? HelpdeskPaths.SlugError(toSlug) ?? BindingErrors().FirstOrDefault()
            ?? (position is < 0 or > 10_000 ? "Position must be from 0 to 10000." : null);
        if (error is null && HelpdeskPaths.FilePath(toFolder, toSlug) == path && position is null)
        {
            error = "Give a new folder, a new file name or a position.";
        }

        var target = HelpdeskPaths.FilePath(toFolder, toSlug);
        if (error is null && target != path && await editor.FindAsync(locale!, type!, toFolder, toSlug, cancellationToken) is not null)
        {
            error = "The hub already has an article at the new path.";
        }

        if (error is null && target != path)
        {
            // Crisp refuses a move onto an existing path; refusing here keeps the queue from failing later.
            try
            {
                var nodes = await remote.TreeAsync(WebsiteId, locale!, type!, cancellationToken);
                if (nodes.Any(n => n.Path == target))
                {
                    error = $"Crisp already has {target}: choose another folder or file name.";
                }
                else if (HelpdeskPaths.FolderChain(toFolder).Append(target)
                    .Where(p => !nodes.Any(n => n.Path == p))
                    .SelectMany(p => nodes.Where(n => n.Path != path && string.Equals(n.Path, p, StringComparison.OrdinalIgnoreCase)))
                    .FirstOrDefault() is { } other)
                {
                    // Slugs that differ only in letter case are one help center address (see HelpdeskPlanner).
                    error = $"Crisp already has {other.Path}, which differs only in letter case: use that spelling.";
                }
            }
            catch (CrispException ex)
            {
                error = CrispError(ex);
            }
        }

        if (error is not null)
        {
            TempData["Message"] = error;
            return Redirect($"/t/{RouteWebsite}/helpdesk/edit?locale={locale}&type={type}&path={Uri.EscapeDataString(path!)}");
        }

        return await QueuedAsync(() => editor.MoveAsync(locale!, type!, path!, toFolder, toSlug, position, Actor, cancellationToken));
    }

    [HttpPost("unpublish")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Unpublish(string? locale, string? type, string? path, CancellationToken cancellationToken) =>
        ValidFile(locale, type, path) ? await QueuedAsync(() => editor.UnpublishAsync(locale!, type!, path!, Actor, cancellationToken)) : NotFound();

    /// <summary>Deletes in Crisp only when <paramref name="confirm"/> repeats the file name: a deliberate act, not a stray click.</summary>
    [HttpPost("delete")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Delete(string? locale, string? type, string? path, string? confirm, CancellationToken cancellationToken)
    {
        if (!ValidFile(locale, type, path))
        {
            return NotFound();
        }

        var (_, slug) = HelpdeskPaths.SplitFilePath(path!);
        if (!string.Equals(confirm?.Trim(), slug, StringComparison.Ordinal))
        {
            TempData["Message"] = $"Not deleted: type the file name '{slug}' to confirm.";
            return Redirect($"/t/{RouteWebsite}/helpdesk/edit?locale={locale}&type={type}&path={Uri.EscapeDataString(path!)}");
        }

        return await QueuedAsync(() => editor.DeleteAsync(locale!, type!, path!, Actor, cancellationToken));
    }

    [HttpGet("syncs")]
    public async Task<IActionResult> Syncs(CancellationToken cancellationToken)
    {
        var syncs = await db.Set<HelpdeskSync>().AsNoTracking().OrderByDescending(s => s.CreatedAt).Take(50).Select(s => s.Id).ToListAsync(cancellationToken);
        var views = new List<HelpdeskSyncView>();
        foreach (var id in syncs)
        {
            views.Add((await HelpdeskSyncStatus.LoadAsync(db, id, cancellationToken))!);
        }

        return View("Syncs", new HelpdeskSyncsModel(await db.Tenants.AsNoTracking().SingleAsync(cancellationToken), views));
    }

    [HttpGet("syncs/{id:guid}")]
    public async Task<IActionResult> Sync(Guid id, CancellationToken cancellationToken)
    {
        var view = await HelpdeskSyncStatus.LoadAsync(db, id, cancellationToken);
        return view is null ? NotFound() : View("Sync", new HelpdeskSyncPageModel(await db.Tenants.AsNoTracking().SingleAsync(cancellationToken), view));
    }

    private async Task<IActionResult> QueuedAsync(Func<Task<HelpdeskSync>> action)
    {
        var sync = await action();
        TempData["Message"] = "Queued: the calls run through the delivery queue.";
        return Redirect($"/t/{RouteWebsite}/helpdesk/syncs/{sync.Id:D}");
    }

    /// <summary>The editor's preview shows the article's images, which live on other hosts (the sanitiser keeps only
    /// http(s) image URLs); the page's default policy would show them broken.</summary>
    private void AllowArticleImages() => HttpContext.Items[SecurityHeadersMiddleware.AllowRemoteImagesItem] = true;

    /// <summary>Values that could not be read into the form (e.g. a position that is not a number): the form would
    /// otherwise carry an empty field and save it quietly.</summary>
    private IEnumerable<string> BindingErrors() =>
        ModelState.Where(e => e.Value is { ValidationState: ModelValidationState.Invalid, AttemptedValue: not null })
            .Select(e => string.Equals(e.Key, nameof(HelpdeskArticleForm.Position), StringComparison.OrdinalIgnoreCase)
                ? "Position must be a whole number from 0 to 10000."
                : $"{e.Key} has a value the hub cannot read.");

    private static bool ValidFile(string? locale, string? type, string? path) =>
        HelpdeskPaths.IsLocale(locale) && HelpdeskPaths.IsContentType(type) && path is { Length: > 3 and <= HelpdeskPaths.MaxPathLength }
        && path.EndsWith(".md", StringComparison.Ordinal) && HelpdeskPaths.SplitFilePath(path) is var (folder, slug)
        && HelpdeskPaths.FolderError(folder) is null && HelpdeskPaths.IsSlug(slug);

    private string EditUrl(HelpdeskArticleForm form) =>
        $"/t/{RouteWebsite}/helpdesk/edit?locale={form.Locale}&type={form.ContentType}&path={Uri.EscapeDataString(form.TreePath)}";

    private async Task<HelpdeskEditModel> EditorModelAsync(CancellationToken cancellationToken) =>
        new() { Website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken), CanEdit = CanEdit };

    private static string CrispError(CrispException ex) => ex is HelpdeskMissingException ? ex.Message :
        $"Crisp could not be reached or refused the request ({(ex is CrispApiException api ? api.Reason : ex.GetType().Name)}). Try again later.";
}

public sealed class HelpdeskIndexModel
{
    public required Tenants.Tenant Website { get; init; }

    public IReadOnlyList<string> Locales { get; set; } = [];

    public string? Locale { get; set; }

    public required string ContentType { get; init; }

    public IReadOnlyList<RemoteNode> Nodes { get; set; } = [];

    /// <summary>Files whose description is read from Crisp on this page (one request each, not queued).</summary>
    public const int MaxDescriptions = 50;

    public Dictionary<string, string?> Descriptions { get; set; } = [];

    public List<HelpdeskArticle> Drafts { get; set; } = [];

    public bool CanEdit { get; init; }

    public string? Error { get; set; }
}

public sealed class HelpdeskEditModel
{
    public required Tenants.Tenant Website { get; init; }

    public bool CanEdit { get; init; }

    public bool IsNew { get; set; }

    /// <summary>Neither Crisp nor the hub could give the article: the page shows why, and no editor.</summary>
    public bool Unavailable { get; set; }

    public HelpdeskArticleForm Form { get; set; } = new();

    public HelpdeskArticle? Article { get; set; }

    public RemoteFile? Remote { get; set; }

    public HelpdeskDrift? Drift { get; set; }

    public string Preview { get; set; } = "";

    public List<string> Errors { get; } = [];
}

public sealed record HelpdeskSyncsModel(Tenants.Tenant Website, IReadOnlyList<HelpdeskSyncView> Syncs);

public sealed record HelpdeskSyncPageModel(Tenants.Tenant Website, HelpdeskSyncView View);
