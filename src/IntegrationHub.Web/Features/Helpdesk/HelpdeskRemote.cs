using IntegrationHub.Crisp;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>A node of Crisp's tree, flattened: its path, kind, title, state and index among its siblings.</summary>
public sealed record RemoteNode(string Path, bool IsFolder, string? Title, bool Published, bool Hidden, bool Featured, int Index, int Depth)
{
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}

/// <summary>A file's full remote state: content and metadata (read only when a comparison needs them).</summary>
public sealed record RemoteFile(RemoteNode Node, string Content, string? Title, string? Description)
{
    public string ContentHash { get; } = HelpdeskPaths.ContentHash(Content);
}

/// <summary>
/// Reads a tenant's Knowledge Base from Crisp directly (reads are not queued: only writes go through the delivery
/// engine). Files are told from folders by their <c>.md</c> name, which the tree API guarantees; the entry
/// <c>type</c> strings are unverified.
/// </summary>
public sealed class HelpdeskRemote(CrispClient crisp)
{
    /// <summary>A bound on pages read, against a list that never ends. Crisp's page sizes for locales and tree entries
    /// are not documented (crisp-kb-tree-api.md): a list ends with an empty page, never with a short one.</summary>
    private const int MaxPages = 100;

    /// <exception cref="HelpdeskMissingException">The website has no Knowledge Base in Crisp.</exception>
    public async Task<IReadOnlyList<string>> LocalesAsync(Guid websiteId, CancellationToken ct)
    {
        var locales = new List<string>();
        for (var page = 1; page <= MaxPages; page++)
        {
            List<string> batch;
            try
            {
                batch = (await crisp.Helpdesk.ListLocalesAsync(websiteId.ToString("D"), page, ct)).Select(l => l.Locale).ToList();
            }
            catch (CrispApiException ex) when (ex.StatusCode == StatusCodes.Status404NotFound)
            {
                throw new HelpdeskMissingException(ex);
            }

            if (batch.Count == 0)
            {
                break;
            }

            locales.AddRange(batch);
        }

        return locales;
    }

    /// <summary>
    /// The whole tree, flattened. Folders are read from the <c>children</c> of the list's entries; a folder listed with
    /// no children is read again with <c>?sub_path=</c> (paged), because the document offers both ("Walk children, or pass
    /// ?sub_path=&lt;folder&gt; to go deeper") without saying how deep a list nests: an empty <c>children</c> may be a
    /// level Crisp did not expand. Only empty folders cost that extra read.
    /// </summary>
    public async Task<IReadOnlyList<RemoteNode>> TreeAsync(Guid websiteId, string locale, string contentType, CancellationToken ct)
    {
        var nodes = new List<RemoteNode>();
        await ListAsync(websiteId.ToString("D"), locale, HelpdeskPaths.ToCrisp(contentType), null, nodes, ct);
        return nodes;
    }

    private async Task ListAsync(string website, string locale, CrispHelpdeskContentType type, string? folder, List<RemoteNode> into, CancellationToken ct)
    {
        var index = 0;
        var depth = folder is null ? 0 : folder.Count(c => c == '/') + 1;
        for (var page = 1; page <= MaxPages; page++)
        {
            var batch = await crisp.Helpdesk.ListTreeAsync(website, locale, type, page, subPath: folder, cancellationToken: ct);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var entry in batch)
            {
                await AddAsync(website, locale, type, entry, folder ?? "", index++, depth, into, ct);
            }
        }
    }

    private async Task AddAsync(
        string website, string locale, CrispHelpdeskContentType type, CrispHelpdeskTreeEntry entry, string parent, int index, int depth, List<RemoteNode> into, CancellationToken ct)
    {
        var path = parent.Length == 0 ? entry.Slug : $"{parent}/{entry.Slug}";
        var isFolder = !entry.Slug.EndsWith(".md", StringComparison.Ordinal);
        into.Add(new RemoteNode(path, isFolder, entry.Title, entry.State?.Published ?? false, entry.State?.Hidden ?? false, entry.State?.Featured ?? false, index, depth));
        if (entry.Children is { Count: > 0 } children)
        {
            var childIndex = 0;
            foreach (var child in children)
            {
                await AddAsync(website, locale, type, child, path, childIndex++, depth + 1, into, ct);
            }
        }
        else if (isFolder && depth < HelpdeskPaths.MaxDepth - 1)
        {
            // Category or section (nothing deeper holds files): listed without children, so read it by sub_path.
            await ListAsync(website, locale, type, path, into, ct);
        }
    }

    public async Task<RemoteFile> FileAsync(Guid websiteId, string locale, string contentType, RemoteNode node, CancellationToken ct)
    {
        var website = websiteId.ToString("D");
        var type = HelpdeskPaths.ToCrisp(contentType);
        var content = await crisp.Helpdesk.GetContentAsync(website, locale, type, node.Path, ct);
        var metadata = await crisp.Helpdesk.GetMetadataAsync(website, locale, type, node.Path, ct);
        return new RemoteFile(node, content, metadata.Title, metadata.Description);
    }

    /// <summary>Descriptions of the first <paramref name="max"/> files (the tree entries carry none: one metadata read each).</summary>
    public async Task<Dictionary<string, string?>> DescriptionsAsync(Guid websiteId, string locale, string contentType, IEnumerable<RemoteNode> nodes, int max, CancellationToken ct)
    {
        var descriptions = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var node in nodes.Where(n => !n.IsFolder).Take(max))
        {
            var metadata = await crisp.Helpdesk.GetMetadataAsync(websiteId.ToString("D"), locale, HelpdeskPaths.ToCrisp(contentType), node.Path, ct);
            descriptions[node.Path] = metadata.Description;
        }

        return descriptions;
    }

    /// <summary>The file at <paramref name="path"/>, or null when Crisp has none there.</summary>
    public async Task<RemoteFile?> FindFileAsync(Guid websiteId, string locale, string contentType, string path, CancellationToken ct)
    {
        var node = (await TreeAsync(websiteId, locale, contentType, ct)).FirstOrDefault(n => !n.IsFolder && n.Path == path);
        return node is null ? null : await FileAsync(websiteId, locale, contentType, node, ct);
    }
}
