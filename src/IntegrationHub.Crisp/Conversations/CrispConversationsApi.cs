namespace IntegrationHub.Crisp;

/// <summary>Conversation routes under <c>/website/{website_id}</c>.</summary>
public sealed class CrispConversationsApi
{
    private readonly CrispClient _client;

    internal CrispConversationsApi(CrispClient client) => _client = client;

    /// <summary><c>GET /conversations/{page}</c> with optional filters.</summary>
    public Task<IReadOnlyList<CrispConversation>> ListAsync(
        string websiteId, int page, CrispConversationFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var path = CrispPath.Website(websiteId).Literal("conversations").Page(page);
        if (filter is not null)
        {
            path.Query("per_page", filter.PerPage)
                .Query("search_query", filter.SearchQuery)
                .Query("search_type", filter.SearchType)
                .Query("filter_unread", filter.FilterUnread)
                .Query("filter_resolved", filter.FilterResolved)
                .Query("filter_not_resolved", filter.FilterNotResolved)
                .Query("filter_mention", filter.FilterMention)
                .Query("filter_assigned", filter.FilterAssigned)
                .Query("filter_unassigned", filter.FilterUnassigned)
                .Query("filter_date_start", filter.FilterDateStart)
                .Query("filter_date_end", filter.FilterDateEnd);
        }

        return _client.SendAsync<IReadOnlyList<CrispConversation>>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary><c>POST /conversation</c> → the new <c>session_id</c>.</summary>
    public async Task<string> CreateAsync(string websiteId, CancellationToken cancellationToken = default)
    {
        var result = await _client.SendAsync<CrispSessionIdResult>(
            HttpMethod.Post, CrispPath.Website(websiteId).Literal("conversation"), null, cancellationToken);
        return result.SessionId;
    }

    /// <summary><c>GET /conversation/{session_id}</c>.</summary>
    public Task<CrispConversation> GetAsync(string websiteId, string sessionId, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispConversation>(HttpMethod.Get, Conversation(websiteId, sessionId), null, cancellationToken);

    /// <summary><c>GET /conversation/{session_id}/meta</c>.</summary>
    public Task<CrispConversationMeta> GetMetaAsync(string websiteId, string sessionId, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispConversationMeta>(HttpMethod.Get, Conversation(websiteId, sessionId).Literal("meta"), null, cancellationToken);

    /// <summary><c>PATCH /conversation/{session_id}/meta</c>: only the fields set in <paramref name="meta"/> are sent.</summary>
    public Task UpdateMetaAsync(string websiteId, string sessionId, CrispConversationMeta meta, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return _client.SendAsync(HttpMethod.Patch, Conversation(websiteId, sessionId).Literal("meta"), CrispClient.JsonBody(meta), cancellationToken);
    }

    /// <summary><c>GET /conversation/{session_id}/state</c>.</summary>
    public async Task<CrispConversationState> GetStateAsync(string websiteId, string sessionId, CancellationToken cancellationToken = default)
    {
        var result = await _client.SendAsync<CrispStateBody>(HttpMethod.Get, Conversation(websiteId, sessionId).Literal("state"), null, cancellationToken);
        return result.State;
    }

    /// <summary><c>PATCH /conversation/{session_id}/state</c>.</summary>
    public Task UpdateStateAsync(string websiteId, string sessionId, CrispConversationState state, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Patch, Conversation(websiteId, sessionId).Literal("state"), CrispClient.JsonBody(new CrispStateBody(state)), cancellationToken);

    /// <summary><c>POST /conversation/{session_id}/message</c> → the message fingerprint, 0 when the 2xx carried none (the message was sent).</summary>
    public async Task<long> SendMessageAsync(string websiteId, string sessionId, CrispMessageInput message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var result = await _client.SendWithOptionalDataAsync<CrispFingerprintResult>(
            HttpMethod.Post, Conversation(websiteId, sessionId).Literal("message"), CrispClient.JsonBody(message), cancellationToken);
        return result?.Fingerprint ?? 0;
    }

    /// <summary><c>GET /conversation/{session_id}/routing</c>.</summary>
    public Task<CrispConversationRouting> GetRoutingAsync(string websiteId, string sessionId, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispConversationRouting>(HttpMethod.Get, Conversation(websiteId, sessionId).Literal("routing"), null, cancellationToken);

    /// <summary><c>PATCH /conversation/{session_id}/routing</c>: assigns the conversation to operator <paramref name="userId"/>.</summary>
    public Task AssignAsync(string websiteId, string sessionId, string userId, bool? silent = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var body = CrispClient.JsonBody(new CrispRoutingBody(new CrispAssignee(userId), silent));
        return _client.SendAsync(HttpMethod.Patch, Conversation(websiteId, sessionId).Literal("routing"), body, cancellationToken);
    }

    private static CrispPath Conversation(string websiteId, string sessionId) =>
        CrispPath.Website(websiteId).Literal("conversation").Segment(sessionId, nameof(sessionId));
}
