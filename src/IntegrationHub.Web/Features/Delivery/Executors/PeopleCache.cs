using System.Collections.Concurrent;

namespace IntegrationHub.Web.Features.Delivery.Executors;

/// <summary>
/// The drain's view of one tenant's email → people_id cache (<see cref="CrispPeopleEntry"/>): loaded once per batch,
/// changes written back after the batch's outcomes.
/// </summary>
public sealed class PeopleCache(IReadOnlyDictionary<string, string> loaded)
{
    private readonly ConcurrentDictionary<string, string?> _changes = new(StringComparer.Ordinal);

    public string? Get(string email)
    {
        var key = Key(email);
        if (_changes.TryGetValue(key, out var changed))
        {
            return changed;
        }

        return loaded.TryGetValue(key, out var id) ? id : null;
    }

    public void Remember(string email, string peopleId) => _changes[Key(email)] = peopleId;

    public void Forget(string email) => _changes[Key(email)] = null;

    /// <summary>email → new people_id, or null to delete.</summary>
    public IReadOnlyDictionary<string, string?> Changes => _changes;

    public static string Key(string email) => email.Trim().ToLowerInvariant();
}
