using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Infrastructure;

namespace IntegrationHub.CrispSimulator.Helpdesk;

/// <summary>
/// The Knowledge Base tree API (crisp-kb-tree-api.md §2): list, path create/resolve/move/delete, content,
/// metadata, pages. Tree paths go un-encoded in the URL (<c>{**path}</c>).
/// </summary>
public static class KbTreeEndpoints
{
    private const string Base = "/website/{website_id}/helpdesk";
    private const string Scope = "/{locale}/{content_type}";

    public static void Map(CrispRoutes routes)
    {
        var tiers = CrispRoutes.WebsiteRoutes;
        routes.Get(Base + "/tree/list" + Scope + "/{page}", tiers, List);
        routes.Post(Base + "/tree/path" + Scope + "/{**path}", tiers, CreatePath);
        routes.Get(Base + "/tree/path" + Scope + "/{**path}", tiers, call => CrispResult.Resolved(KbTree.EntryJson(Node(call), call.Options)));
        routes.Patch(Base + "/tree/path" + Scope + "/{**path}", tiers, MovePath);
        routes.Delete(Base + "/tree/path" + Scope + "/{**path}", tiers, DeletePath);
        routes.Get(Base + "/tree/content" + Scope + "/{**path}", tiers, GetContent);
        routes.Put(Base + "/tree/content" + Scope + "/{**path}", tiers, PutContent);
        routes.Get(Base + "/tree/metadata" + Scope + "/{**path}", tiers, call => CrispResult.Resolved(KbTree.MetadataJson(Node(call))));
        routes.Patch(Base + "/tree/metadata" + Scope + "/{**path}", tiers, PatchMetadata);
        routes.Get(Base + "/tree/page" + Scope + "/{**path}", tiers, GetPage);
        routes.Get(Base + "/page/list" + Scope + "/{page}", tiers, ListPages);
        routes.Get(Base + "/page/entity" + Scope + "/{entity_id}", tiers, GetPageByEntity);
    }

    private static (SimLocale Locale, string ContentType, KbNode Root) Tree(CrispCall call)
    {
        var contentType = KbTree.ValidContentType(call.Route("content_type"));
        var locale = HelpdeskEndpoints.FindLocale(call);
        return (locale, contentType, locale.Tree(contentType));
    }

    private static KbNode Node(CrispCall call)
    {
        var (_, _, root) = Tree(call);
        var segments = KbTree.ParsePath(call.Route("path"));
        return KbTree.Find(root, segments) ?? throw CrispApiException.NotFound("not_found", "Tree path does not exist.");
    }

    /// <summary>
    /// Top-level entries of the tree (or of <c>sub_path</c>), 20 per page, each with its children (all levels, or
    /// <see cref="SimulatorOptions.KbListChildrenDepth"/>). <c>search_title</c>
    /// (case-insensitive substring) and <c>filter_date_start</c>/<c>filter_date_end</c> (on updated_at) prune the tree to
    /// matching entries and the folders that lead to them.
    /// </summary>
    private static CrispResult List(CrispCall call)
    {
        var (_, _, root) = Tree(call);
        var subPath = call.Query("sub_path");
        if (!string.IsNullOrEmpty(subPath) && subPath.Trim('/').Length > 0)
        {
            root = KbTree.Find(root, KbTree.ParsePath(subPath)) ?? throw CrispApiException.NotFound("not_found", "sub_path does not exist.");
            if (!root.IsFolder)
            {
                throw CrispApiException.InvalidData("sub_path must be a folder.");
            }
        }

        var searchTitle = call.Query("search_title");
        var start = call.QueryDate("filter_date_start")?.ToUnixTimeMilliseconds();
        var end = call.QueryDate("filter_date_end")?.ToUnixTimeMilliseconds();
        Func<KbNode, bool>? keep = null;
        if (!string.IsNullOrEmpty(searchTitle) || start is not null || end is not null)
        {
            bool Matches(KbNode node) =>
                (string.IsNullOrEmpty(searchTitle) || node.DisplayTitle.Contains(searchTitle, StringComparison.OrdinalIgnoreCase))
                && (start is null || node.UpdatedAt >= start)
                && (end is null || node.UpdatedAt <= end);

            bool Keep(KbNode node) => Matches(node) || node.Descendants().Any(Matches);
            keep = Keep;
        }

        var entries = root.Children.Where(c => keep is null || keep(c));
        var depth = call.Options.KbListChildrenDepth > 0 ? call.Options.KbListChildrenDepth : (int?)null;
        return CrispResult.Listed(call.Paginate(entries).Select(n => KbTree.EntryJson(n, call.Options, keep, depth)));
    }

    /// <summary>Creates a folder (no <c>.md</c>) or an empty Markdown file (<c>.md</c>). Body: <c>null</c>.</summary>
    private static CrispResult CreatePath(CrispCall call)
    {
        var body = call.Body;
        if (body is not null and not JsonObject)
        {
            throw CrispApiException.InvalidData("Body must be null or an object.");
        }

        var (_, _, root) = Tree(call);
        var node = KbTree.Create(root, KbTree.ParsePath(call.Route("path")), call.Options.KbCreateMissingParents, call.State.NowMs);
        KbHistory.Record(call, "added", node, $"Create {node.Path}", metadata: true, content: !node.IsFolder);
        return CrispResult.Added(KbTree.EntryJson(node, call.Options));
    }

    /// <summary>
    /// <c>{action, path?:{to}, position?}</c>. <c>path.to</c> moves/renames (target parent must exist, target must be free,
    /// kind file/folder kept); <c>position</c> (0-based, clamped) places the node among its siblings.
    /// </summary>
    private static CrispResult MovePath(CrispCall call)
    {
        var body = call.BodyObject;
        var action = JsonBody.RequireString(body, "action");
        var actions = call.Options.KbPathActions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!actions.Contains(action, StringComparer.Ordinal))
        {
            throw CrispApiException.InvalidData($"'action' must be one of {string.Join(", ", actions)}.");
        }

        var pathObject = JsonBody.OptObject(body, "path");
        var to = pathObject is null ? null : JsonBody.RequireString(pathObject, "to");
        var position = JsonBody.OptInteger(body, "position");
        if (position is < 0)
        {
            throw CrispApiException.InvalidData("'position' must be >= 0.");
        }

        if (to is null && position is null)
        {
            throw CrispApiException.InvalidData("Give 'path.to', 'position' or both.");
        }

        var (_, _, root) = Tree(call);
        var node = Node(call);
        var now = call.State.NowMs;
        var parent = node.Parent!;
        var slug = node.Slug;
        if (to is not null)
        {
            var segments = KbTree.ParsePath(to);
            if (KbTree.IsFileSlug(segments[^1]) == node.IsFolder)
            {
                throw CrispApiException.InvalidData("A move cannot turn a file into a folder or a folder into a file.");
            }

            var target = KbTree.Find(root, segments);
            if (target is not null && !ReferenceEquals(target, node))
            {
                throw CrispApiException.Conflict("path_exists");
            }

            parent = segments.Length == 1 ? root : KbTree.Find(root, segments[..^1])
                ?? throw CrispApiException.NotFound("not_found", "Target parent folder does not exist.");
            if (!parent.IsFolder)
            {
                throw CrispApiException.InvalidData("Target parent is a file.");
            }

            if (ReferenceEquals(parent, node) || node.IsAncestorOf(parent))
            {
                throw CrispApiException.InvalidData("A folder cannot be moved into itself.");
            }

            if (KbTree.SubtreeDepthError(node, segments.Length) is { } tooDeep)
            {
                throw CrispApiException.InvalidData(tooDeep);
            }

            slug = segments[^1];
        }

        var index = position is { } p ? (int)Math.Min(p, int.MaxValue) : (ReferenceEquals(parent, node.Parent) ? node.Parent!.Children.IndexOf(node) : (int?)null);
        var from = node.Path;
        KbTree.Touch(node.Parent!, now);
        node.Parent!.Children.Remove(node);
        node.Slug = slug;
        KbTree.Attach(parent, node, index);
        KbTree.Touch(node, now);
        KbHistory.Record(call, "moved", node, from == node.Path ? $"Reorder {from}" : $"Move {from} to {node.Path}", metadata: false, content: false);
        return CrispResult.Updated();
    }

    private static CrispResult DeletePath(CrispCall call)
    {
        var node = Node(call);
        var parent = node.Parent!;
        KbHistory.Record(call, "deleted", node, $"Delete {node.Path}", metadata: false, content: !node.IsFolder, before: node.Content);
        parent.Children.Remove(node);
        KbTree.Touch(parent, call.State.NowMs);
        return CrispResult.Deleted();
    }

    private static CrispResult GetContent(CrispCall call)
    {
        var node = Node(call);
        return node.IsFolder
            ? throw CrispApiException.InvalidData("Folders have no content.")
            : CrispResult.Resolved(new JsonObject { ["content"] = node.Content });
    }

    /// <summary><c>{"content": "&lt;markdown&gt;"}</c>. Creates the file when missing (201 <c>added</c>), else 200 <c>updated</c>.</summary>
    private static CrispResult PutContent(CrispCall call)
    {
        var content = JsonBody.RequireString(call.BodyObject, "content", allowEmpty: true);
        var (_, _, root) = Tree(call);
        var segments = KbTree.ParsePath(call.Route("path"));
        var now = call.State.NowMs;
        var node = KbTree.Find(root, segments);
        var created = false;
        if (node is null)
        {
            if (!KbTree.IsFileSlug(segments[^1]))
            {
                throw CrispApiException.NotFound("not_found", "Tree path does not exist.");
            }

            node = KbTree.Create(root, segments, call.Options.KbCreateMissingParents, now);
            created = true;
        }
        else if (node.IsFolder)
        {
            throw CrispApiException.InvalidData("Folders have no content.");
        }

        var before = node.Content;
        node.Content = content;
        KbTree.Touch(node, now);
        KbHistory.Record(call, created ? "added" : "modified", node, $"Update content of {node.Path}", metadata: created, content: true, before: before);
        return created ? CrispResult.Added() : CrispResult.Updated();
    }

    /// <summary>Partial update of <c>HelpdeskTreeMetadata</c>; <c>state</c> merges flag by flag.</summary>
    private static CrispResult PatchMetadata(CrispCall call)
    {
        var body = call.BodyObject;
        var node = Node(call);

        var format = JsonBody.OptString(body, "format");
        var title = JsonBody.OptString(body, "title");
        if (title is { Length: 0 })
        {
            throw CrispApiException.InvalidData("'title' must not be empty.");
        }

        var description = JsonBody.OptString(body, "description");
        var state = JsonBody.OptObject(body, "state");
        bool? published = null, hidden = null, featured = null;
        if (state is not null)
        {
            published = JsonBody.OptBool(state, "published");
            hidden = JsonBody.OptBool(state, "hidden");
            featured = JsonBody.OptBool(state, "featured");
        }
        else if (body.ContainsKey("state") && body["state"] is null)
        {
            throw CrispApiException.InvalidData("'state' must be an object.");
        }

        var author = JsonBody.OptObject(body, "author");
        var authorUserId = author is null ? null : JsonBody.OptString(author, "user_id");
        var color = JsonBody.OptString(body, "color");
        if (color is not null && !KbTree.ColorPattern().IsMatch(color))
        {
            throw CrispApiException.InvalidData("'color' must be a hex color such as #377FEA.");
        }

        var image = JsonBody.OptString(body, "image");

        var metadata = node.Metadata;
        metadata.Format = format ?? metadata.Format;
        metadata.Title = title ?? metadata.Title;
        if (body.ContainsKey("description"))
        {
            metadata.Description = description;
        }

        metadata.Published = published ?? metadata.Published;
        metadata.Hidden = hidden ?? metadata.Hidden;
        metadata.Featured = featured ?? metadata.Featured;
        metadata.AuthorUserId = authorUserId ?? metadata.AuthorUserId;
        if (body.ContainsKey("color"))
        {
            metadata.Color = color;
        }

        if (body.ContainsKey("image"))
        {
            metadata.Image = image;
        }

        KbTree.Touch(node, call.State.NowMs);
        KbHistory.Record(call, "modified", node, $"Update metadata of {node.Path}", metadata: true, content: false);
        return CrispResult.Updated();
    }

    private static CrispResult GetPage(CrispCall call)
    {
        var (locale, contentType, _) = Tree(call);
        var node = Node(call);
        var helpdesk = HelpdeskEndpoints.RequireHelpdesk(call);
        return CrispResult.Resolved(new JsonObject { ["title"] = node.DisplayTitle, ["url"] = KbTree.PageUrl(helpdesk, locale.Locale, contentType, node) });
    }

    /// <summary>Published files as <c>HelpdeskPage</c> <c>{entity_id, title, tree_path, url}</c>.</summary>
    private static CrispResult ListPages(CrispCall call)
    {
        var (locale, contentType, root) = Tree(call);
        var helpdesk = HelpdeskEndpoints.RequireHelpdesk(call);
        var pages = root.Descendants().Where(n => !n.IsFolder && n.Metadata.Published).Select(n => PageJson(helpdesk, locale, contentType, n));
        return CrispResult.Listed(call.Paginate(pages));
    }

    private static CrispResult GetPageByEntity(CrispCall call)
    {
        var (locale, contentType, root) = Tree(call);
        var entityId = call.Route("entity_id");
        var node = root.Descendants().FirstOrDefault(n => string.Equals(n.EntityId, entityId, StringComparison.OrdinalIgnoreCase))
            ?? throw CrispApiException.NotFound();
        return CrispResult.Resolved(PageJson(HelpdeskEndpoints.RequireHelpdesk(call), locale, contentType, node));
    }

    private static JsonObject PageJson(SimHelpdesk helpdesk, SimLocale locale, string contentType, KbNode node) => new()
    {
        ["entity_id"] = node.EntityId,
        ["title"] = node.DisplayTitle,
        ["tree_path"] = node.Path,
        ["url"] = KbTree.PageUrl(helpdesk, locale.Locale, contentType, node),
    };
}
