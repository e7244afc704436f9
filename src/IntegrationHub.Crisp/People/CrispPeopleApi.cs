using System.Text.Json.Nodes;

namespace IntegrationHub.Crisp;

/// <summary>People routes under <c>/website/{website_id}/people</c>. A <c>peopleId</c> may be the profile's email.</summary>
public sealed class CrispPeopleApi
{
    private readonly CrispClient _client;

    internal CrispPeopleApi(CrispClient client) => _client = client;

    /// <summary><c>GET /people/profiles/{page}</c>, optionally with a quick <c>search_text</c>.</summary>
    public Task<IReadOnlyList<CrispPeopleProfile>> ListProfilesAsync(
        string websiteId, int page, string? searchText = null, CancellationToken cancellationToken = default)
    {
        var path = People(websiteId, "profiles").Page(page).Query("search_text", searchText);
        return _client.SendAsync<IReadOnlyList<CrispPeopleProfile>>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary>The profile whose email is <paramref name="email"/> (case-insensitive), or null.
    /// Searches with <c>search_text</c> and keeps only an exact email match.</summary>
    public async Task<CrispPeopleProfile?> FindByEmailAsync(string websiteId, string email, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        for (var page = 1; ; page++)
        {
            var profiles = await ListProfilesAsync(websiteId, page, email, cancellationToken);
            if (profiles.Count == 0)
            {
                return null;
            }

            var match = profiles.FirstOrDefault(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                return match;
            }
        }
    }

    /// <summary><c>POST /people/profile</c> → the new <c>people_id</c>. An existing email throws reason <c>people_exists</c>.</summary>
    public async Task<string> AddProfileAsync(string websiteId, CrispPeopleProfileInput profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile.Email, nameof(profile));
        var result = await _client.SendAsync<CrispPeopleIdResult>(
            HttpMethod.Post, People(websiteId, "profile"), CrispClient.JsonBody(profile), cancellationToken);
        return result.PeopleId;
    }

    /// <summary><c>HEAD /people/profile/{people_id}</c>.</summary>
    public Task<bool> ProfileExistsAsync(string websiteId, string peopleId, CancellationToken cancellationToken = default) =>
        _client.ExistsAsync(Profile(websiteId, peopleId), cancellationToken);

    /// <summary><c>GET /people/profile/{people_id}</c>; unknown → reason <c>people_not_found</c>.</summary>
    public Task<CrispPeopleProfile> GetProfileAsync(string websiteId, string peopleId, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispPeopleProfile>(HttpMethod.Get, Profile(websiteId, peopleId), null, cancellationToken);

    /// <summary><c>PATCH /people/profile/{people_id}</c>: only the fields set in <paramref name="profile"/> change.</summary>
    public Task UpdateProfileAsync(string websiteId, string peopleId, CrispPeopleProfileInput profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return _client.SendAsync(HttpMethod.Patch, Profile(websiteId, peopleId), CrispClient.JsonBody(profile), cancellationToken);
    }

    /// <summary><c>DELETE /people/profile/{people_id}</c>.</summary>
    public Task DeleteProfileAsync(string websiteId, string peopleId, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Delete, Profile(websiteId, peopleId), null, cancellationToken);

    /// <summary><c>GET /people/data/{people_id}</c> → the profile's free-form data.</summary>
    public async Task<JsonObject> GetDataAsync(string websiteId, string peopleId, CancellationToken cancellationToken = default)
    {
        var result = await _client.SendAsync<CrispDataBody>(HttpMethod.Get, Data(websiteId, peopleId), null, cancellationToken);
        return result.Data ?? [];
    }

    /// <summary><c>PUT /people/data/{people_id}</c>: replaces all data keys.</summary>
    public Task SaveDataAsync(string websiteId, string peopleId, JsonObject data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        return _client.SendAsync(HttpMethod.Put, Data(websiteId, peopleId), CrispClient.JsonBody(new CrispDataBody(data)), cancellationToken);
    }

    /// <summary><c>PATCH /people/data/{people_id}</c>: merges the given keys.</summary>
    public Task UpdateDataAsync(string websiteId, string peopleId, JsonObject data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        return _client.SendAsync(HttpMethod.Patch, Data(websiteId, peopleId), CrispClient.JsonBody(new CrispDataBody(data)), cancellationToken);
    }

    /// <summary><c>POST /people/events/{people_id}</c>.</summary>
    public Task AddEventAsync(string websiteId, string peopleId, CrispPeopleEventInput peopleEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peopleEvent);
        var path = People(websiteId, "events").Segment(peopleId, nameof(peopleId));
        return _client.SendAsync(HttpMethod.Post, path, CrispClient.JsonBody(peopleEvent), cancellationToken);
    }

    /// <summary><c>GET /people/events/{people_id}/list/{page}</c>.</summary>
    public Task<IReadOnlyList<CrispPeopleEvent>> ListEventsAsync(string websiteId, string peopleId, int page, CancellationToken cancellationToken = default)
    {
        var path = People(websiteId, "events").Segment(peopleId, nameof(peopleId)).Literal("list").Page(page);
        return _client.SendAsync<IReadOnlyList<CrispPeopleEvent>>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary><c>GET /people/conversations/{people_id}/list/{page}</c> → session ids.</summary>
    public Task<IReadOnlyList<string>> ListConversationsAsync(string websiteId, string peopleId, int page, CancellationToken cancellationToken = default)
    {
        var path = People(websiteId, "conversations").Segment(peopleId, nameof(peopleId)).Literal("list").Page(page);
        return _client.SendAsync<IReadOnlyList<string>>(HttpMethod.Get, path, null, cancellationToken);
    }

    private static CrispPath People(string websiteId, string route) => CrispPath.Website(websiteId).Literal("people").Literal(route);

    private static CrispPath Profile(string websiteId, string peopleId) => People(websiteId, "profile").Segment(peopleId, nameof(peopleId));

    private static CrispPath Data(string websiteId, string peopleId) => People(websiteId, "data").Segment(peopleId, nameof(peopleId));
}
