using IntegrationHub.Crisp;
using IntegrationHub.Web.Infrastructure.Api;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary><c>/api/v1/helpdesk</c>: docs-as-code sync of a zip of Markdown files, and the progress of sync runs.</summary>
public static class HelpdeskApi
{
    public const string CrispUnavailable = "crisp-unavailable";
    public const string CrispRateLimited = "crisp-rate-limited";
    public const string HelpdeskMissing = "helpdesk-missing";
    public const string InvalidArchive = "invalid-archive";

    public sealed record SyncItemResponse(string Locale, string ContentType, string Path, string Action, string? Detail, string? Status, int CallsDone, int CallsTotal, string? Error);

    public sealed record SyncSummary(int Create, int UpdateContent, int UpdateMetadata, int Move, int Delete, int Unchanged, int Error, int Writes);

    public sealed record SyncResponse(Guid? Id, bool DryRun, bool Prune, string Status, DateTimeOffset? CreatedAt, SyncSummary Summary, IReadOnlyList<SyncItemResponse> Items);

    private static readonly string[] ZipTypes = ["application/zip", "application/x-zip-compressed", "application/octet-stream"];

    public static RouteGroupBuilder MapHelpdeskApi(this RouteGroupBuilder api)
    {
        var helpdesk = api.MapGroup("/helpdesk").WithTags("Helpdesk");
        helpdesk.MapPost("/sync", SyncAsync).WithName("PostHelpdeskSync")
            .WithSummary("Sync a zip of Markdown docs to the website's Knowledge Base")
            .WithDescription("The body is a zip archive (Content-Type: application/zip) of <locale>/<content type>/<folders>/<slug>.md files, each "
                + "starting with YAML front matter: title (required), description, published (default true), hidden, featured, position. "
                + "The hub compares them with Crisp's tree and content and plans create / update-content / update-metadata / move / unchanged, "
                + "and delete only with prune=true (within the locale/content-type trees the archive names). With dry_run=true the plan is "
                + "answered (200) and nothing is queued; otherwise the writes are queued in the delivery engine and the answer is 202 with the "
                + "sync id. A file that is refused (invalid front matter, a path Crisp would refuse, not UTF-8, a zip-slip path) is an 'error' "
                + "item and gets no writes; the other files still sync. Running the same archive twice queues no writes the second time. "
                + "Nothing is queued when Crisp cannot be read: 502 crisp-unavailable, or 503 crisp-rate-limited with Retry-After when Crisp "
                + "rate-limits the hub's reads.")
            .Accepts<IFormFile>("application/zip")
            .Produces<SyncResponse>(StatusCodes.Status200OK)
            .Produces<SyncResponse>(StatusCodes.Status202Accepted)
            .WithStandardErrors(withBody: true)
            .ProducesProblem(StatusCodes.Status409Conflict, ApiDocs.ProblemJson)
            .ProducesProblem(StatusCodes.Status502BadGateway, ApiDocs.ProblemJson)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable, ApiDocs.ProblemJson);
        helpdesk.MapGet("/sync/{id:guid}", GetAsync).WithName("GetHelpdeskSync")
            .WithSummary("A sync run: each item's action and progress (the state of its queued Crisp calls)")
            .Produces<SyncResponse>()
            .WithStandardErrors(withBody: false, notFound: true, validation: false);
        return api;
    }

    private static async Task<IResult> SyncAsync(
        HttpContext http, [FromQuery(Name = "dry_run")] string? dryRunText, [FromQuery(Name = "prune")] string? pruneText, HelpdeskSyncService sync, TenantContext tenant, IOptions<HelpdeskOptions> options, CancellationToken ct)
    {
        var flags = new FieldErrors();
        var dryRun = Flag(dryRunText, "dry_run", flags);
        var prune = Flag(pruneText, "prune", flags);
        if (flags.Any)
        {
            return ApiProblems.Validation(flags.ToDictionary());
        }

        var limit = options.Value.MaxArchiveBytes;
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null || !ZipTypes.Contains(mediaType))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, ApiProblems.UnsupportedMediaType, "Unsupported media type",
                "Send the docs as a zip archive with 'Content-Type: application/zip'.");
        }

        if (http.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return TooLarge(limit);
            }
        }

        buffer.Position = 0;
        try
        {
            var files = DocsInput.FromZip(buffer, options.Value);
            var user = http.User.Identity?.Name ?? "api key";
            var (plan, run) = await sync.SyncAsync(tenant.Require(), files, dryRun == true, prune == true, "api", user, ct);
            if (run is null)
            {
                return TypedResults.Ok(FromPlan(plan, prune == true));
            }

            return TypedResults.Accepted($"/api/v1/helpdesk/sync/{run.Id:D}", FromPlan(plan, prune == true) with { Id = run.Id, DryRun = false, Status = HelpdeskSyncStatus.Pending, CreatedAt = run.CreatedAt });
        }
        catch (DocsInputException ex) when (ex.TooLarge)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, ApiProblems.PayloadTooLarge, "Payload too large", ex.Message);
        }
        catch (DocsInputException ex)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, InvalidArchive, "Invalid archive", ex.Message);
        }
        catch (HelpdeskMissingException ex)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, HelpdeskMissing, "No helpdesk in Crisp", ex.Message + " Nothing was queued.");
        }
        catch (CrispRateLimitedException ex)
        {
            // Crisp is answering, but not to the hub for now: a caller (a CI job) should wait and retry, not read a broken
            // gateway. Crisp's own wait when it gave one, else a minute (Crisp documents no header for it).
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, CrispRateLimited, "Crisp is rate-limiting the hub",
                $"Crisp answered {ex.StatusCode} ({ex.Reason}) while the Knowledge Base was read; nothing was queued. Retry after the delay in Retry-After.",
                retryAfter: ex.RetryAfter is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromMinutes(1));
        }
        catch (CrispException ex)
        {
            return ApiProblems.Problem(StatusCodes.Status502BadGateway, CrispUnavailable, "Crisp could not be read",
                $"The Knowledge Base could not be read from Crisp ({ex.GetType().Name}); nothing was queued. Try again later.");
        }
    }

    /// <summary>
    /// A query switch: true/false or 1/0 (any case), absent = false. Anything else is refused by name rather than read
    /// as false: "prune=yes" meant to delete, and a sync that silently did not prune would look like one that had.
    /// </summary>
    private static bool? Flag(string? text, string name, FieldErrors errors)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null:
                return null;
            case "true" or "1":
                return true;
            case "false" or "0":
                return false;
            default:
                errors.Add(name, $"Must be true or false (or 1 / 0), not '{(text!.Length > 20 ? text[..20] + "…" : text)}'.");
                return null;
        }
    }

    private static async Task<IResult> GetAsync(Guid id, HubDbContext db, CancellationToken ct)
    {
        var view = await HelpdeskSyncStatus.LoadAsync(db, id, ct);
        return view is null ? ApiProblems.NotFoundProblem("No helpdesk sync with this id.") : TypedResults.Ok(FromView(view));
    }

    private static ApiProblems.ProblemResult TooLarge(long limit) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, ApiProblems.PayloadTooLarge, "Payload too large",
            $"The archive is larger than this hub accepts ({limit} bytes, Helpdesk:MaxArchiveBytes); nothing was synced.");

    private static SyncSummary Summary(IReadOnlyList<string> actions, int writes) => new(
        actions.Count(a => a == HelpdeskPlanAction.Create),
        actions.Count(a => a == HelpdeskPlanAction.UpdateContent),
        actions.Count(a => a == HelpdeskPlanAction.UpdateMetadata),
        actions.Count(a => a == HelpdeskPlanAction.Move),
        actions.Count(a => a == HelpdeskPlanAction.Delete),
        actions.Count(a => a == HelpdeskPlanAction.Unchanged),
        actions.Count(a => a == HelpdeskPlanAction.Error),
        writes);

    internal static SyncResponse FromPlan(HelpdeskPlan plan, bool prune) => new(
        null, true, prune, "planned", null,
        Summary(plan.Items.Select(i => i.Action).ToList(), plan.WriteCount),
        plan.Items.Select(i => new SyncItemResponse(i.Locale, i.ContentType, i.Path, i.Action, i.Detail, null, 0, i.Writes.Count, null)).ToList());

    internal static SyncResponse FromView(HelpdeskSyncView view) => new(
        view.Sync.Id, false, view.Sync.Prune, view.Status, view.Sync.CreatedAt,
        Summary(view.Items.Select(i => i.Item.Action).ToList(), view.Items.Sum(i => i.CallsTotal)),
        view.Items.Select(i => new SyncItemResponse(i.Item.Locale, i.Item.ContentType, i.Item.Path, i.Item.Action, i.Item.Detail, i.Status, i.CallsDone, i.CallsTotal, i.LastError)).ToList());
}
