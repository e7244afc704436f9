using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Infrastructure;

namespace IntegrationHub.CrispSimulator.Helpdesk;

/// <summary>One write to a Knowledge Base tree, as <c>history/changes</c> lists it.</summary>
public sealed class KbChange
{
    public required string ChangeId { get; init; }

    public required string Locale { get; init; }

    public required string ContentType { get; init; }

    public required string Message { get; init; }

    public required string? AuthorName { get; init; }

    public required long CreatedAt { get; init; }

    public int Insertions { get; init; }

    public int Deletions { get; init; }

    /// <summary><c>{change, path, metadata, content}</c>: the file's state after the change (null when deleted).</summary>
    public required JsonObject File { get; init; }
}

/// <summary>
/// The Knowledge Base history and refresh routes of crisp-kb-tree-api.md §2: <c>GET history/changes/{page}</c>
/// (<c>filter_locale</c>, <c>filter_type</c>, <c>filter_tree_path</c>), <c>GET|DELETE history/change/{change_id}</c> and
/// <c>POST refresh/{locale}/{ct}</c>. Every tree write is recorded, newest first. UNVERIFIED and chosen here: the
/// <c>change</c> words (<c>added</c>, <c>modified</c>, <c>moved</c>, <c>deleted</c>), one file per change, the author
/// (<c>{email: null, name: "API"}</c> for token callers), line counts for <c>edits</c>; cancelling a change (DELETE, body
/// <c>{action}</c>) forgets it and does not revert the tree.
/// </summary>
public static class KbHistory
{
    private const string Base = "/website/{website_id}/helpdesk";
    private const int Capacity = 10_000;

    public static void Map(CrispRoutes routes)
    {
        var tiers = CrispRoutes.WebsiteRoutes;
        routes.Get(Base + "/history/changes/{page}", tiers, List);
        routes.Get(Base + "/history/change/{change_id}", tiers, call => CrispResult.Resolved(Json(Find(call))));
        routes.Delete(Base + "/history/change/{change_id}", tiers, Cancel);
        routes.Post(Base + "/refresh/{locale}/{content_type}", tiers, Refresh);
    }

    /// <summary>Records a write to <paramref name="node"/> (its state after the write; <paramref name="change"/> <c>deleted</c>: gone).</summary>
    public static void Record(CrispCall call, string change, KbNode node, string message, bool metadata, bool content, string? before = null)
    {
        var helpdesk = HelpdeskEndpoints.RequireHelpdesk(call);
        var deleted = change == "deleted";
        var (insertions, deletions) = content ? LineEdits(before ?? "", deleted ? "" : node.Content) : (0, 0);
        helpdesk.Changes.Insert(0, new KbChange
        {
            ChangeId = Guid.NewGuid().ToString(),
            Locale = call.Route("locale"),
            ContentType = call.Route("content_type"),
            Message = message,
            AuthorName = "API",
            CreatedAt = call.State.NowMs,
            Insertions = insertions,
            Deletions = deletions,
            File = new JsonObject
            {
                ["change"] = change,
                ["path"] = node.Path,
                ["metadata"] = metadata && !deleted ? KbTree.MetadataJson(node) : null,
                ["content"] = content && !deleted && !node.IsFolder ? node.Content : null,
            },
        });
        if (helpdesk.Changes.Count > Capacity)
        {
            helpdesk.Changes.RemoveAt(helpdesk.Changes.Count - 1);
        }
    }

    private static CrispResult List(CrispCall call)
    {
        var helpdesk = HelpdeskEndpoints.RequireHelpdesk(call);
        var locale = call.Query("filter_locale");
        var type = call.Query("filter_type");
        if (!string.IsNullOrEmpty(type))
        {
            KbTree.ValidContentType(type);
        }

        var treePath = call.Query("filter_tree_path")?.Trim('/');
        var changes = helpdesk.Changes.Where(c =>
            (string.IsNullOrEmpty(locale) || string.Equals(c.Locale, locale, StringComparison.OrdinalIgnoreCase))
            && (string.IsNullOrEmpty(type) || c.ContentType == type)
            && (string.IsNullOrEmpty(treePath) || c.File["path"]!.GetValue<string>() is var path
                && (path == treePath || path.StartsWith(treePath + "/", StringComparison.Ordinal))));
        return CrispResult.Listed(call.Paginate(changes).Select(Json));
    }

    private static CrispResult Cancel(CrispCall call)
    {
        JsonBody.RequireString(call.BodyObject, "action");
        var change = Find(call);
        HelpdeskEndpoints.RequireHelpdesk(call).Changes.Remove(change);
        return CrispResult.Deleted();
    }

    private static CrispResult Refresh(CrispCall call)
    {
        if (call.Body is not null and not JsonObject)
        {
            throw CrispApiException.InvalidData("Body must be null or an object.");
        }

        KbTree.ValidContentType(call.Route("content_type"));
        HelpdeskEndpoints.FindLocale(call);
        return CrispResult.Updated();
    }

    private static KbChange Find(CrispCall call)
    {
        var id = call.Route("change_id");
        return HelpdeskEndpoints.RequireHelpdesk(call).Changes.Find(c => string.Equals(c.ChangeId, id, StringComparison.OrdinalIgnoreCase))
            ?? throw CrispApiException.NotFound("not_found", "History change does not exist.");
    }

    private static JsonObject Json(KbChange change) => new()
    {
        ["change_id"] = change.ChangeId,
        ["message"] = change.Message,
        ["author"] = new JsonObject { ["email"] = null, ["name"] = change.AuthorName },
        ["edits"] = new JsonObject { ["insertions"] = change.Insertions, ["deletions"] = change.Deletions },
        ["created_at"] = change.CreatedAt,
        ["files"] = new JsonArray(change.File.DeepClone()),
    };

    /// <summary>Lines added and removed (a multiset difference of lines: enough for counts, not a diff).</summary>
    private static (int Insertions, int Deletions) LineEdits(string before, string after)
    {
        var old = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in Lines(before))
        {
            old[line] = old.GetValueOrDefault(line) + 1;
        }

        var insertions = 0;
        foreach (var line in Lines(after))
        {
            if (old.GetValueOrDefault(line) > 0)
            {
                old[line]--;
            }
            else
            {
                insertions++;
            }
        }

        return (insertions, old.Values.Sum());
    }

    private static string[] Lines(string text) => text.Length == 0 ? Array.Empty<string>() : text.Split('\n');
}
