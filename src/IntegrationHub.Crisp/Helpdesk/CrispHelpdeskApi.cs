namespace IntegrationHub.Crisp;

/// <summary>
/// Knowledge Base routes under <c>/website/{website_id}/helpdesk</c>: locales and the tree API
/// (<c>tree/list|path|content|metadata|page</c>). Tree paths are relative to locale and content type, e.g.
/// <c>orders/delivery/shipping-policy.md</c>; each segment is escaped and the slashes are kept.
/// The legacy article, category and section writes are refused by Crisp and deliberately absent.
/// </summary>
public sealed class CrispHelpdeskApi
{
    private readonly CrispClient _client;

    internal CrispHelpdeskApi(CrispClient client) => _client = client;

    /// <summary><c>GET /helpdesk/locales/{page}</c>.</summary>
    public Task<IReadOnlyList<CrispHelpdeskLocale>> ListLocalesAsync(string websiteId, int page, CancellationToken cancellationToken = default) =>
        _client.SendAsync<IReadOnlyList<CrispHelpdeskLocale>>(HttpMethod.Get, Helpdesk(websiteId).Literal("locales").Page(page), null, cancellationToken);

    /// <summary><c>POST /helpdesk/locale</c> <c>{locale}</c> (ISO-639-1, e.g. <c>en</c>).</summary>
    public Task AddLocaleAsync(string websiteId, string locale, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(locale);
        return _client.SendAsync(HttpMethod.Post, Helpdesk(websiteId).Literal("locale"), CrispClient.JsonBody(new CrispLocaleBody(locale)), cancellationToken);
    }

    /// <summary><c>GET tree/list/{locale}/{ct}/{page}</c>, optionally below <paramref name="subPath"/>, filtered by title or by
    /// update date (<c>filter_date_start</c>/<c>filter_date_end</c>).</summary>
    public Task<IReadOnlyList<CrispHelpdeskTreeEntry>> ListTreeAsync(
        string websiteId,
        string locale,
        CrispHelpdeskContentType contentType,
        int page,
        string? subPath = null,
        string? searchTitle = null,
        DateTimeOffset? filterDateStart = null,
        DateTimeOffset? filterDateEnd = null,
        CancellationToken cancellationToken = default)
    {
        var path = Helpdesk(websiteId).Literal("tree/list").Segment(locale, nameof(locale)).Literal(Segment(contentType)).Page(page)
            .Query("sub_path", subPath)
            .Query("search_title", searchTitle)
            .Query("filter_date_start", filterDateStart)
            .Query("filter_date_end", filterDateEnd);
        return _client.SendAsync<IReadOnlyList<CrispHelpdeskTreeEntry>>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary><c>POST tree/path/…</c> (body <c>null</c>): creates a file (<c>*.md</c>) or a folder.</summary>
    public Task CreatePathAsync(string websiteId, string locale, CrispHelpdeskContentType contentType, string treePath, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Post, Tree(websiteId, "path", locale, contentType, treePath), CrispClient.JsonBody<object?>(null), cancellationToken);

    /// <summary><c>GET tree/path/…</c>: the node at <paramref name="treePath"/>.</summary>
    public Task<CrispHelpdeskTreeEntry> ResolvePathAsync(string websiteId, string locale, CrispHelpdeskContentType contentType, string treePath, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispHelpdeskTreeEntry>(HttpMethod.Get, Tree(websiteId, "path", locale, contentType, treePath), null, cancellationToken);

    /// <summary><c>PATCH tree/path/…</c> with a raw change (<c>{action, path:{to}, position}</c>).</summary>
    public Task UpdatePathAsync(
        string websiteId, string locale, CrispHelpdeskContentType contentType, string treePath, CrispHelpdeskPathChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _client.SendAsync(HttpMethod.Patch, Tree(websiteId, "path", locale, contentType, treePath), CrispClient.JsonBody(change), cancellationToken);
    }

    /// <summary>Moves or renames the node to <paramref name="toPath"/> (<c>{action: "move", path: {to}}</c>).</summary>
    public Task MovePathAsync(
        string websiteId, string locale, CrispHelpdeskContentType contentType, string treePath, string toPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toPath);
        var change = new CrispHelpdeskPathChange { Action = "move", Path = new CrispHelpdeskPathTarget(toPath) };
        return UpdatePathAsync(websiteId, locale, contentType, treePath, change, cancellationToken);
    }

    /// <summary>Moves the node to <paramref name="position"/> among its siblings (<c>{action: "reorder", position}</c>).</summary>
    public Task ReorderPathAsync(
        string websiteId, string locale, CrispHelpdeskContentType contentType, string treePath, int position, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var change = new CrispHelpdeskPathChange { Action = "reorder", Position = position };
        return UpdatePathAsync(websiteId, locale, contentType, treePath, change, cancellationToken);
    }

    /// <summary><c>DELETE tree/path/…</c>.</summary>
    public Task DeletePathAsync(string websiteId, string locale, CrispHelpdeskContentType contentType, string treePath, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Delete, Tree(websiteId, "path", locale, contentType, treePath), null, cancellationToken);

    /// <summary><c>GET tree/content/…</c> → the Markdown body.</summary>
    public async Task<string> GetContentAsync(string websiteId, string locale, CrispHelpdeskContentType contentType, string treePath, CancellationToken cancellationToken = default)
    {
        var result = await _client.SendAsync<CrispContentBody>(HttpMethod.Get, Tree(websiteId, "content", locale, contentType, treePath), null, cancellationToken);
        return result.Content ?? "";
    }

    /// <summary><c>PUT tree/content/…</c> <c>{content}</c>: writes the Markdown body.</summary>
    public Task SaveContentAsync(
        string websiteId, string locale, CrispHelpdeskContentType contentType, string treePath, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return _client.SendAsync(HttpMethod.Put, Tree(websiteId, "content", locale, contentType, treePath), CrispClient.JsonBody(new CrispContentBody(content)), cancellationToken);
    }

    /// <summary><c>GET tree/metadata/…</c>.</summary>
    public Task<CrispHelpdeskMetadata> GetMetadataAsync(string websiteId, string locale, CrispHelpdeskContentType contentType, string treePath, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispHelpdeskMetadata>(HttpMethod.Get, Tree(websiteId, "metadata", locale, contentType, treePath), null, cancellationToken);

    /// <summary><c>PATCH tree/metadata/…</c>: title, description, state{published,hidden,featured}, …</summary>
    public Task UpdateMetadataAsync(
        string websiteId, string locale, CrispHelpdeskContentType contentType, string treePath, CrispHelpdeskMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return _client.SendAsync(HttpMethod.Patch, Tree(websiteId, "metadata", locale, contentType, treePath), CrispClient.JsonBody(metadata), cancellationToken);
    }

    /// <summary><c>GET tree/page/…</c> → the node's public title and URL.</summary>
    public Task<CrispHelpdeskPage> GetPageAsync(string websiteId, string locale, CrispHelpdeskContentType contentType, string treePath, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispHelpdeskPage>(HttpMethod.Get, Tree(websiteId, "page", locale, contentType, treePath), null, cancellationToken);

    /// <summary><c>GET page/list/{locale}/{ct}/{page}</c>: the public pages, each with its <c>entity_id</c> and <c>tree_path</c>.</summary>
    public Task<IReadOnlyList<CrispHelpdeskPageEntry>> ListPagesAsync(
        string websiteId, string locale, CrispHelpdeskContentType contentType, int page, CancellationToken cancellationToken = default) =>
        _client.SendAsync<IReadOnlyList<CrispHelpdeskPageEntry>>(
            HttpMethod.Get, Helpdesk(websiteId).Literal("page/list").Segment(locale, nameof(locale)).Literal(Segment(contentType)).Page(page), null, cancellationToken);

    /// <summary><c>GET page/entity/{locale}/{ct}/{entity_id}</c>: the public page of an entity (e.g. a legacy article id).</summary>
    public Task<CrispHelpdeskPageEntry> GetPageByEntityAsync(
        string websiteId, string locale, CrispHelpdeskContentType contentType, string entityId, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispHelpdeskPageEntry>(
            HttpMethod.Get, Helpdesk(websiteId).Literal("page/entity").Segment(locale, nameof(locale)).Literal(Segment(contentType)).Segment(entityId, nameof(entityId)), null, cancellationToken);

    /// <summary><c>GET history/changes/{page}</c>, optionally filtered by locale, content type and tree path.</summary>
    public Task<IReadOnlyList<CrispHelpdeskChange>> ListChangesAsync(
        string websiteId, int page, string? locale = null, CrispHelpdeskContentType? contentType = null, string? treePath = null, CancellationToken cancellationToken = default)
    {
        var path = Helpdesk(websiteId).Literal("history/changes").Page(page)
            .Query("filter_locale", locale)
            .Query("filter_type", contentType is { } type ? Segment(type) : null)
            .Query("filter_tree_path", treePath);
        return _client.SendAsync<IReadOnlyList<CrispHelpdeskChange>>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary><c>GET history/change/{change_id}</c>.</summary>
    public Task<CrispHelpdeskChange> GetChangeAsync(string websiteId, string changeId, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispHelpdeskChange>(HttpMethod.Get, Helpdesk(websiteId).Literal("history/change").Segment(changeId, nameof(changeId)), null, cancellationToken);

    /// <summary><c>DELETE history/change/{change_id}</c> <c>{action}</c> ("Cancel Helpdesk History Change"; the action words are unverified).</summary>
    public Task CancelChangeAsync(string websiteId, string changeId, string action, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        return _client.SendAsync(HttpMethod.Delete, Helpdesk(websiteId).Literal("history/change").Segment(changeId, nameof(changeId)),
            CrispClient.JsonBody(new CrispChangeAction(action)), cancellationToken);
    }

    /// <summary><c>POST refresh/{locale}/{ct}</c> (body <c>null</c>).</summary>
    public Task RefreshAsync(string websiteId, string locale, CrispHelpdeskContentType contentType, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Post, Helpdesk(websiteId).Literal("refresh").Segment(locale, nameof(locale)).Literal(Segment(contentType)),
            CrispClient.JsonBody<object?>(null), cancellationToken);

    internal static string Segment(CrispHelpdeskContentType contentType) => contentType switch
    {
        CrispHelpdeskContentType.Articles => "articles",
        CrispHelpdeskContentType.Guides => "guides",
        CrispHelpdeskContentType.References => "references",
        CrispHelpdeskContentType.News => "news",
        _ => throw new ArgumentOutOfRangeException(nameof(contentType), contentType, "Unknown helpdesk content type."),
    };

    private static CrispPath Helpdesk(string websiteId) => CrispPath.Website(websiteId).Literal("helpdesk");

    private static CrispPath Tree(string websiteId, string route, string locale, CrispHelpdeskContentType contentType, string treePath) =>
        Helpdesk(websiteId).Literal("tree").Literal(route).Segment(locale, nameof(locale)).Literal(Segment(contentType)).TreePath(treePath);
}
