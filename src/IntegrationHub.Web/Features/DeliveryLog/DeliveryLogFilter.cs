using System.Globalization;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Infrastructure.Data;

namespace IntegrationHub.Web.Features.DeliveryLog;

/// <summary>
/// The delivery log's filter as the query string (and the replay form's hidden fields) carry it. Times are UTC:
/// <c>2026-11-25T10:00</c> (what a datetime-local input sends) or any ISO 8601 form with an offset.
/// </summary>
public sealed record DeliveryLogFilter
{
    public string? Status { get; init; }

    /// <summary>An event id (GUID) or an event name (exact).</summary>
    public string? Event { get; init; }

    /// <summary>The contact's email (the call's ordering key), compared lower-cased.</summary>
    public string? Contact { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public bool IsEmpty => Status is null && Event is null && Contact is null && From is null && To is null;

    public DeliveryLogFilter Normalized() => new()
    {
        Status = Blank(Status)?.ToLowerInvariant(),
        Event = Blank(Event),
        Contact = Blank(Contact)?.ToLowerInvariant(),
        From = Blank(From),
        To = Blank(To),
    };

    /// <summary>The filter applied to the current tenant's calls (the query filter scopes them), or the errors per field.</summary>
    public (IQueryable<CrispCall> Calls, Dictionary<string, string> Errors) Apply(HubDbContext db)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        IQueryable<CrispCall> calls = db.Set<CrispCall>();

        if (Status is { } status)
        {
            if (Enum.TryParse<CrispCallStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(status, out _))
            {
                calls = calls.Where(c => c.Status == parsed);
            }
            else
            {
                errors["status"] = "Unknown status.";
            }
        }

        if (Event is { } evt)
        {
            if (evt.Any(char.IsControl))
            {
                // No event name has one (the events API refuses them), and PostgreSQL refuses a NUL in a query: a 500.
                errors["event"] = "No control characters: event names and ids have none.";
            }
            else if (Guid.TryParse(evt, out var eventId))
            {
                calls = calls.Where(c => c.EventId == eventId);
            }
            else
            {
                var events = db.Set<ProductEvent>();
                calls = calls.Where(c => c.EventId != null && events.Any(e => e.Id == c.EventId && e.Name == evt));
            }
        }

        if (Contact is { } contact)
        {
            if (contact.Any(char.IsControl))
            {
                errors["contact"] = "No control characters: email addresses have none.";
            }
            else
            {
                calls = calls.Where(c => c.OrderingKey == contact);
            }
        }

        if (From is { } fromText)
        {
            if (TryParseUtc(fromText, out var from))
            {
                calls = calls.Where(c => c.CreatedAt >= from);
            }
            else
            {
                errors["from"] = "Use a date and time such as 2026-11-25T10:00 (UTC).";
            }
        }

        if (To is { } toText)
        {
            if (TryParseUtc(toText, out var to))
            {
                calls = calls.Where(c => c.CreatedAt <= to);
            }
            else
            {
                errors["to"] = "Use a date and time such as 2026-11-25T18:00 (UTC).";
            }
        }

        return (calls, errors);
    }

    /// <summary>The filter as query-string pairs, for links (pages, details, back).</summary>
    public IEnumerable<KeyValuePair<string, string>> Pairs()
    {
        if (Status is not null) yield return new("status", Status);
        if (Event is not null) yield return new("event", Event);
        if (Contact is not null) yield return new("contact", Contact);
        if (From is not null) yield return new("from", From);
        if (To is not null) yield return new("to", To);
    }

    public string Describe() => IsEmpty ? "all calls" : string.Join(", ", Pairs().Select(p => $"{p.Key}={p.Value}"));

    public static bool TryParseUtc(string text, out DateTimeOffset value)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
        {
            value = parsed.ToUniversalTime();
            return true;
        }

        value = default;
        return false;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
