using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Infrastructure;

namespace IntegrationHub.CrispSimulator.Helpdesk;

/// <summary>Tree-path parsing, lookup and JSON shapes of the Knowledge Base tree API.</summary>
public static partial class KbTree
{
    /// <summary>Splits and validates a tree path: slug segments, and only the last may be a <c>.md</c> file.</summary>
    public static string[] ParsePath(string? raw)
    {
        var path = (raw ?? "").Trim('/');
        if (path.Length == 0)
        {
            throw CrispApiException.InvalidData("A tree path is required.");
        }

        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!SegmentPattern().IsMatch(segments[i]))
            {
                throw CrispApiException.InvalidData($"Invalid tree path segment '{segments[i]}'.");
            }

            if (i < segments.Length - 1 && IsFileSlug(segments[i]))
            {
                throw CrispApiException.InvalidData("Only the last segment of a tree path may be a .md file.");
            }
        }

        if (DepthError(segments.Length, IsFileSlug(segments[^1])) is { } depth)
        {
            throw CrispApiException.InvalidData(depth);
        }

        return segments;
    }

    /// <summary>Folders nest at most this deep: a category and, inside it, a section (crisp-kb-tree-api.md §1: a tree path
    /// "includes the category, an optional section, and the article filename").</summary>
    public const int MaxFolderDepth = 2;

    /// <summary>Why a node <paramref name="segments"/> deep cannot exist, or null.</summary>
    public static string? DepthError(int segments, bool isFile) =>
        segments > MaxFolderDepth + (isFile ? 1 : 0)
            ? $"A tree path is category[/section]{(isFile ? "/<file>.md" : "")}: folders nest at most {MaxFolderDepth} deep."
            : null;

    /// <summary>Why the subtree of <paramref name="node"/> does not fit when the node itself sits <paramref name="segments"/>
    /// deep (a section with files moved into a section), or null.</summary>
    public static string? SubtreeDepthError(KbNode node, int segments) =>
        DepthError(segments, !node.IsFolder) ?? node.Children.Select(c => SubtreeDepthError(c, segments + 1)).FirstOrDefault(e => e is not null);

    public static bool IsFileSlug(string slug) => slug.EndsWith(".md", StringComparison.Ordinal);

    public static string ValidContentType(string contentType) =>
        SimHelpdesk.ContentTypes.Contains(contentType)
            ? contentType
            : throw CrispApiException.InvalidData("Content type must be articles, guides, references or news.");

    public static KbNode? Find(KbNode root, string[] segments)
    {
        var node = root;
        foreach (var segment in segments)
        {
            node = node.Child(segment);
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Creates the node at <paramref name="segments"/>; missing parents are created only when allowed.</summary>
    public static KbNode Create(KbNode root, string[] segments, bool createParents, long now)
    {
        var parent = root;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            var next = parent.Child(segments[i]);
            if (next is null)
            {
                if (!createParents)
                {
                    throw CrispApiException.NotFound("not_found", $"Parent folder '{string.Join('/', segments[..(i + 1)])}' does not exist.");
                }

                next = NewNode(segments[i], isFolder: true, now);
                Attach(parent, next, null);
            }
            else if (!next.IsFolder)
            {
                throw CrispApiException.InvalidData($"'{next.Path}' is a file, not a folder.");
            }

            parent = next;
        }

        if (parent.Child(segments[^1]) is not null)
        {
            throw CrispApiException.Conflict("path_exists");
        }

        var node = NewNode(segments[^1], isFolder: !IsFileSlug(segments[^1]), now);
        Attach(parent, node, null);
        Touch(node, now);
        return node;
    }

    public static KbNode NewNode(string slug, bool isFolder, long now) =>
        new() { Slug = slug, IsFolder = isFolder, EntityId = Guid.NewGuid().ToString(), CreatedAt = now, UpdatedAt = now };

    public static void Attach(KbNode parent, KbNode node, int? position)
    {
        node.Parent = parent;
        var index = position is { } p ? Math.Clamp(p, 0, parent.Children.Count) : parent.Children.Count;
        parent.Children.Insert(index, node);
    }

    public static void Touch(KbNode node, long now)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            current.UpdatedAt = now;
        }
    }

    /// <summary><c>HelpdeskTreeEntry</c>: <c>{type, slug, title, state, children}</c>, children recursively.</summary>
    /// <param name="depth">Levels of children to include (null = all); below that a folder's <c>children</c> is empty.</param>
    public static JsonObject EntryJson(KbNode node, SimulatorOptions options, Func<KbNode, bool>? keep = null, int? depth = null)
    {
        var children = new JsonArray();
        foreach (var child in node.Children.Take(depth is <= 0 ? 0 : int.MaxValue))
        {
            if (keep is null || keep(child))
            {
                children.Add(EntryJson(child, options, keep, depth - 1));
            }
        }

        return new JsonObject
        {
            ["type"] = node.IsFolder ? options.KbFolderType : options.KbFileType,
            ["slug"] = node.Slug,
            ["title"] = node.DisplayTitle,
            ["state"] = StateJson(node.Metadata),
            ["children"] = children,
        };
    }

    public static JsonObject StateJson(KbMetadata metadata) => new()
    {
        ["published"] = metadata.Published,
        ["hidden"] = metadata.Hidden,
        ["featured"] = metadata.Featured,
    };

    public static JsonObject MetadataJson(KbNode node) => new()
    {
        ["format"] = node.Metadata.Format,
        ["title"] = node.DisplayTitle,
        ["description"] = node.Metadata.Description,
        ["state"] = StateJson(node.Metadata),
        ["author"] = node.Metadata.AuthorUserId is null ? new JsonObject() : new JsonObject { ["user_id"] = node.Metadata.AuthorUserId },
        ["color"] = node.Metadata.Color,
        ["image"] = node.Metadata.Image,
    };

    /// <summary>Public URL of a node: <c>{helpdesk}/{locale}/{content type}/{path without .md}/</c> (shape UNVERIFIED).</summary>
    public static string PageUrl(SimHelpdesk helpdesk, string locale, string contentType, KbNode node)
    {
        var path = node.Path;
        if (IsFileSlug(path))
        {
            path = path[..^3];
        }

        return $"{helpdesk.Url}/{locale}/{contentType}/{path}/";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*(\\.md)?$")]
    private static partial Regex SegmentPattern();

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    public static partial Regex ColorPattern();
}
