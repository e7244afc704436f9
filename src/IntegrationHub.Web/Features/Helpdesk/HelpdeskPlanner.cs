using IntegrationHub.Web.Infrastructure.Text;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>
/// Compares wanted files with Crisp's tree and content and plans the fewest writes: create (folders first), update
/// content, update metadata, move (a new path whose content equals a file that left its old path), reorder, and
/// delete only when pruning. A file already as wanted plans nothing, so a second identical sync writes nothing.
/// Pruning is limited to the locale/content-type trees the input names.
/// </summary>
public sealed class HelpdeskPlanner(HelpdeskRemote remote)
{
    public async Task<HelpdeskPlan> PlanAsync(Guid websiteId, IReadOnlyList<HelpdeskDoc> docs, IReadOnlyList<DocsError> errors, bool prune, CancellationToken ct)
    {
        var plan = new HelpdeskPlan();
        var locales = await remote.LocalesAsync(websiteId, ct);
        var refused = RefusedPaths(errors);
        foreach (var tree in docs.GroupBy(d => (d.Locale, d.ContentType)).OrderBy(g => g.Key.Locale, StringComparer.Ordinal).ThenBy(g => g.Key.ContentType, StringComparer.Ordinal))
        {
            var (locale, contentType) = tree.Key;
            if (!locales.Contains(locale, StringComparer.OrdinalIgnoreCase))
            {
                foreach (var doc in tree)
                {
                    plan.Items.Add(ErrorItem(doc, $"Locale '{locale}' does not exist in this website's helpdesk; add it in Crisp first."));
                }

                continue;
            }

            await PlanTreeAsync(websiteId, locale, contentType, tree.ToList(), prune, plan, ct, refused: refused.GetValueOrDefault((locale, contentType)));
        }

        foreach (var error in errors)
        {
            var segments = error.Name.Split('/');
            plan.Items.Add(new PlanItem
            {
                Locale = segments.Length > 1 ? Truncate(segments[0], 16) : "",
                ContentType = segments.Length > 2 ? Truncate(segments[1], 16) : "",
                Path = Truncate(error.Name, HelpdeskPaths.MaxPathLength),
                PathIsInputName = true,
                Action = HelpdeskPlanAction.Error,
                Detail = error.Message,
            });
        }

        return plan;
    }

    /// <summary>The writes that make one file as wanted (the dashboard's publish), planned against the live tree.</summary>
    public async Task<PlanItem> PlanFileAsync(Guid websiteId, HelpdeskDoc doc, CancellationToken ct)
    {
        var plan = new HelpdeskPlan();
        await PlanTreeAsync(websiteId, doc.Locale, doc.ContentType, [doc], prune: false, plan, ct, detectMoves: false);
        return plan.Items.Count == 1 ? plan.Items[0] : Merge(doc, plan.Items);
    }

    /// <summary>
    /// The tree paths of refused input files, per locale and content type. A refused file is left as Crisp has it:
    /// neither moved away nor pruned, and neither are the folders it sits in.
    /// </summary>
    private static Dictionary<(string Locale, string ContentType), HashSet<string>> RefusedPaths(IReadOnlyList<DocsError> errors)
    {
        var refused = new Dictionary<(string, string), HashSet<string>>();
        foreach (var error in errors)
        {
            var segments = error.Name.Split('/');
            if (segments.Length < 3)
            {
                continue;
            }

            var key = (segments[0], segments[1]);
            if (!refused.TryGetValue(key, out var paths))
            {
                refused[key] = paths = new HashSet<string>(StringComparer.Ordinal);
            }

            paths.Add(string.Join('/', segments[2..]));
        }

        return refused;
    }

    private async Task PlanTreeAsync(
        Guid websiteId, string locale, string contentType, List<HelpdeskDoc> docs, bool prune, HelpdeskPlan plan, CancellationToken ct, bool detectMoves = true, HashSet<string>? refused = null)
    {
        refused ??= [];
        var nodes = await remote.TreeAsync(websiteId, locale, contentType, ct);
        var byPath = nodes.ToDictionary(n => n.Path, StringComparer.Ordinal);
        var folders = new HashSet<string>(nodes.Where(n => n.IsFolder).Select(n => n.Path), StringComparer.Ordinal);
        var wanted = docs.Select(d => d.TreePath).ToHashSet(StringComparer.Ordinal);
        var orphans = nodes.Where(n => !n.IsFolder && !wanted.Contains(n.Path) && !refused.Contains(n.Path)).ToList();
        var orphanFiles = new Dictionary<string, RemoteFile>(StringComparer.Ordinal);
        if (detectMoves && docs.Any(d => !byPath.ContainsKey(d.TreePath)))
        {
            foreach (var orphan in orphans)
            {
                orphanFiles[orphan.Path] = await remote.FileAsync(websiteId, locale, contentType, orphan, ct);
            }
        }

        var spellings = Spellings(nodes, docs);
        var moved = new HashSet<string>(StringComparer.Ordinal);
        var fileItems = new List<PlanItem>();
        foreach (var doc in docs.OrderBy(d => d.TreePath, StringComparer.Ordinal))
        {
            var item = new PlanItem { Locale = locale, ContentType = contentType, Path = doc.TreePath, Action = HelpdeskPlanAction.Unchanged };
            fileItems.Add(item);
            if (byPath.TryGetValue(doc.TreePath, out var node))
            {
                if (node.IsFolder)
                {
                    item.Action = HelpdeskPlanAction.Error;
                    item.Detail = "Crisp has a folder at this path.";
                    continue;
                }

                var current = await remote.FileAsync(websiteId, locale, contentType, node, ct);
                var changes = new List<string>();
                if (current.ContentHash != HelpdeskPaths.ContentHash(doc.Markdown))
                {
                    item.Writes.Add(KbWrite.Content(locale, contentType, doc.TreePath, doc.Markdown));
                    changes.Add("content");
                }

                if (MetadataChanges(doc, current) is { Count: > 0 } metadata)
                {
                    item.Writes.Add(KbWrite.Metadata(locale, contentType, doc.TreePath, doc, afterContent: changes.Contains("content")));
                    changes.AddRange(metadata);
                }

                if (doc.Position is { } position && Clamp(position, Siblings(nodes, node)) != node.Index)
                {
                    item.Writes.Add(KbWrite.Move(locale, contentType, doc.TreePath, null, position));
                    changes.Add("position");
                }

                item.Action = changes.Count == 0 ? HelpdeskPlanAction.Unchanged
                    : changes.Contains("content") ? HelpdeskPlanAction.UpdateContent
                    : changes.SequenceEqual(["position"]) ? HelpdeskPlanAction.Move
                    : HelpdeskPlanAction.UpdateMetadata;
                item.Detail = changes.Count == 0 ? null : "changes: " + string.Join(", ", changes);
                continue;
            }

            // Blank content says nothing about where a file came from: every article Crisp has that was created but not
            // written yet has it, and a new stub in the input would take one of them away from its path.
            var hash = HelpdeskPaths.ContentHash(doc.Markdown);
            var source = string.IsNullOrWhiteSpace(doc.Markdown) ? null : orphanFiles.Values.FirstOrDefault(f => !moved.Contains(f.Node.Path) && f.ContentHash == hash);
            if (CaseCollision(doc, byPath, spellings, source?.Node.Path) is { } collision)
            {
                item.Action = HelpdeskPlanAction.Error;
                item.Detail = collision;
                refused.Add(doc.TreePath);
                continue;
            }

            EnsureFolders(locale, contentType, doc.Folder, folders, plan);

            if (source is not null)
            {
                moved.Add(source.Node.Path);
                item.Action = HelpdeskPlanAction.Move;
                item.Detail = $"moved from {source.Node.Path}";
                item.Writes.Add(KbWrite.Move(locale, contentType, source.Node.Path, doc.TreePath, doc.Position));
                if (MetadataChanges(doc, source) is { Count: > 0 } metadata)
                {
                    item.Writes.Add(KbWrite.Metadata(locale, contentType, doc.TreePath, doc));
                    item.Detail += "; changes: " + string.Join(", ", metadata);
                }

                continue;
            }

            item.Action = HelpdeskPlanAction.Create;
            item.Writes.Add(KbWrite.Create(locale, contentType, doc.TreePath));
            item.Writes.Add(KbWrite.Content(locale, contentType, doc.TreePath, doc.Markdown));
            item.Writes.Add(KbWrite.Metadata(locale, contentType, doc.TreePath, doc, afterContent: true));
            if (doc.Position is { } wantedPosition)
            {
                item.Writes.Add(KbWrite.Move(locale, contentType, doc.TreePath, null, wantedPosition));
            }
        }

        plan.Items.AddRange(fileItems);
        if (prune)
        {
            PlanDeletes(locale, contentType, nodes, docs, refused, moved, plan);
        }
    }

    /// <summary>Deletes what the input no longer has: whole folders when nothing wanted or refused is inside, else
    /// single files. A refused file still names its path: what Crisp has there stays until the file is fixed.</summary>
    private static void PlanDeletes(string locale, string contentType, IReadOnlyList<RemoteNode> nodes, List<HelpdeskDoc> docs, HashSet<string> refused, HashSet<string> moved, HelpdeskPlan plan)
    {
        var wanted = docs.Select(d => d.TreePath).Concat(refused).ToHashSet(StringComparer.Ordinal);
        var keptFolders = wanted.SelectMany(path => HelpdeskPaths.FolderChain(HelpdeskPaths.SplitFilePath(path).Folder)).ToHashSet(StringComparer.Ordinal);
        var deletedFolders = new List<string>();
        foreach (var node in nodes)
        {
            if (deletedFolders.Any(f => node.Path.StartsWith(f + "/", StringComparison.Ordinal)))
            {
                continue; // goes with its folder
            }

            var delete = node.IsFolder ? !keptFolders.Contains(node.Path) : !wanted.Contains(node.Path) && !moved.Contains(node.Path);
            if (!delete)
            {
                continue;
            }

            if (node.IsFolder)
            {
                deletedFolders.Add(node.Path);
            }

            var item = new PlanItem { Locale = locale, ContentType = contentType, Path = node.Path, Action = HelpdeskPlanAction.Delete, Detail = node.IsFolder ? "folder and everything in it" : null };
            item.Writes.Add(KbWrite.Delete(locale, contentType, node.Path));
            plan.Items.Add(item);
        }
    }

    /// <summary>Every spelling of each path, Crisp's and the input's (folders and files), keyed without letter case.</summary>
    private static Dictionary<string, HashSet<string>> Spellings(IReadOnlyList<RemoteNode> nodes, List<HelpdeskDoc> docs)
    {
        var spellings = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        var paths = nodes.Select(n => n.Path).Concat(docs.SelectMany(d => HelpdeskPaths.FolderChain(d.Folder).Append(d.TreePath)));
        foreach (var path in paths)
        {
            if (!spellings.TryGetValue(path, out var set))
            {
                spellings[path] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(path);
        }

        return spellings;
    }

    /// <summary>
    /// Why a new file would collide with a name that differs only in letter case ("Billing" and "billing"), or null.
    /// Tree paths are the slugs of the help center's public URLs: two folders or files whose slugs differ only in case
    /// are one page address, which Crisp may refuse or merge, so the hub creates neither a second spelling of what Crisp
    /// has nor two spellings at once. A file moving onto another spelling of its own name (a rename) is no collision.
    /// </summary>
    private static string? CaseCollision(HelpdeskDoc doc, Dictionary<string, RemoteNode> byPath, Dictionary<string, HashSet<string>> spellings, string? movedFrom)
    {
        foreach (var path in HelpdeskPaths.FolderChain(doc.Folder).Append(doc.TreePath))
        {
            if (byPath.ContainsKey(path))
            {
                continue;
            }

            var other = spellings[path].Where(s => s != path && s != movedFrom).Order(StringComparer.Ordinal).FirstOrDefault();
            if (other is null)
            {
                continue;
            }

            var name = path == doc.TreePath ? "File name" : "Folder";
            return byPath.ContainsKey(other)
                ? $"{name} '{path}' differs only in letter case from '{other}', which Crisp has: slugs that differ only in case are one help center address, so use Crisp's spelling (or rename it in Crisp first)."
                : $"{name} '{path}' is also given as '{other}': slugs that differ only in case are one help center address, so use one spelling.";
        }

        return null;
    }

    /// <summary>Plans the creation of missing folders on the way to <paramref name="folder"/> (a file can never be in the
    /// way: file names end in .md, folder names cannot).</summary>
    private static void EnsureFolders(string locale, string contentType, string folder, HashSet<string> folders, HelpdeskPlan plan)
    {
        foreach (var path in HelpdeskPaths.FolderChain(folder))
        {
            if (folders.Add(path))
            {
                var item = new PlanItem { Locale = locale, ContentType = contentType, Path = path, Action = HelpdeskPlanAction.Create, Detail = "folder" };
                item.Writes.Add(KbWrite.Create(locale, contentType, path));
                plan.Items.Add(item);
            }
        }
    }

    private static List<string> MetadataChanges(HelpdeskDoc doc, RemoteFile current)
    {
        var changes = new List<string>();
        if (!string.Equals(doc.Title, current.Title, StringComparison.Ordinal))
        {
            changes.Add("title");
        }

        if (!string.Equals(doc.Description ?? "", current.Description ?? "", StringComparison.Ordinal))
        {
            changes.Add("description");
        }

        if (doc.Published != current.Node.Published || doc.Hidden != current.Node.Hidden || doc.Featured != current.Node.Featured)
        {
            changes.Add("state");
        }

        return changes;
    }

    private static int Siblings(IReadOnlyList<RemoteNode> nodes, RemoteNode node)
    {
        var parent = node.Path.Contains('/', StringComparison.Ordinal) ? node.Path[..node.Path.LastIndexOf('/')] : "";
        return nodes.Count(n => n.Depth == node.Depth && (parent.Length == 0 ? !n.Path.Contains('/', StringComparison.Ordinal) : n.Path.StartsWith(parent + "/", StringComparison.Ordinal)));
    }

    private static int Clamp(int position, int siblings) => Math.Min(position, Math.Max(0, siblings - 1));

    private static PlanItem ErrorItem(HelpdeskDoc doc, string message) =>
        new() { Locale = doc.Locale, ContentType = doc.ContentType, Path = doc.TreePath, Action = HelpdeskPlanAction.Error, Detail = message };

    /// <summary>Folder creations and the file's own writes as one item (the dashboard shows one publish).</summary>
    private static PlanItem Merge(HelpdeskDoc doc, List<PlanItem> items)
    {
        var file = items[^1];
        var merged = new PlanItem { Locale = doc.Locale, ContentType = doc.ContentType, Path = doc.TreePath, Action = file.Action, Detail = file.Detail };
        foreach (var item in items)
        {
            merged.Writes.AddRange(item.Writes);
        }

        return merged;
    }

    private static string Truncate(string text, int max) => TextCut.Truncate(text, max);
}
