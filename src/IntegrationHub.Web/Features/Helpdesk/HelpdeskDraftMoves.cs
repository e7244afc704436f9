using System.Text.Json.Nodes;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>
/// Takes the local draft along with a Knowledge Base move once Crisp accepted it. Renaming the draft when the move is
/// queued would attach it to whatever Crisp holds at the new path if the move then fails.
/// </summary>
public static class HelpdeskDraftMoves
{
    /// <summary>Applies a sent <c>helpdesk.path.move</c> call (its payload) to the current tenant's draft, if any.</summary>
    public static async Task FollowAsync(HubDbContext db, string payloadJson, DateTimeOffset now, CancellationToken ct)
    {
        if (JsonNode.Parse(payloadJson) is not JsonObject payload
            || Text(payload, "locale") is not { } locale || Text(payload, "content_type") is not { } contentType || Text(payload, "path") is not { } path)
        {
            return;
        }

        var (folder, slug) = HelpdeskPaths.SplitFilePath(path);
        var article = await Find(db, locale, contentType, folder, slug).FirstOrDefaultAsync(ct);
        if (article is null)
        {
            return;
        }

        if (Text(payload, "to") is { } to)
        {
            var (toFolder, toSlug) = HelpdeskPaths.SplitFilePath(to);
            if (await Find(db, locale, contentType, toFolder, toSlug).AnyAsync(ct))
            {
                return; // another draft was started at the new path meanwhile: leave both alone rather than merge them
            }

            article.FolderPath = toFolder;
            article.Slug = toSlug;
        }

        if (payload["position"] is JsonValue p && p.TryGetValue<int>(out var position))
        {
            article.Position = position;
        }

        article.UpdatedAt = now;
    }

    private static IQueryable<HelpdeskArticle> Find(HubDbContext db, string locale, string contentType, string folder, string slug) =>
        db.Set<HelpdeskArticle>().Where(a => a.Locale == locale && a.ContentType == contentType && a.FolderPath == folder && a.Slug == slug);

    private static string? Text(JsonObject payload, string name) =>
        payload[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
