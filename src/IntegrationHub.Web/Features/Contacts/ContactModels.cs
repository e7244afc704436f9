using System.Text.Json;

namespace IntegrationHub.Web.Features.Contacts;

/// <summary>A contact's company.</summary>
public sealed record CompanyRequest
{
    /// <summary>At most 256 characters.</summary>
    public string? Name { get; init; }

    /// <summary>An absolute http(s) URL, without spaces or a user:password part.</summary>
    public string? Url { get; init; }

    /// <summary>A domain name, e.g. acme.example.</summary>
    public string? Domain { get; init; }
}

/// <summary>
/// The contact's Crisp profile and data. Every field is optional; fields left out are left alone in Crisp.
/// Maps to Crisp people profile (nickname, avatar, phone, company, segments) and people data (data, merged key by key).
/// </summary>
public sealed record ContactRequest
{
    /// <summary>Display name, at most 256 characters.</summary>
    public string? Nickname { get; init; }

    /// <summary>Avatar image: an absolute http(s) URL, without spaces or a user:password part.</summary>
    public string? Avatar { get; init; }

    /// <summary>Phone number: digits, spaces and + ( ) - . only, 3–32 characters with at least 3 digits.</summary>
    public string? Phone { get; init; }

    public CompanyRequest? Company { get; init; }

    /// <summary>Segments to add to the profile: at most 50 strings of 1–64 characters.</summary>
    public IReadOnlyList<string>? Segments { get; init; }

    /// <summary>People data to merge: keys of 1–64 lowercase a–z, 0–9, '_' or '-'; values string (≤ 2000 characters), finite number or boolean. At most 100 keys.</summary>
    public IDictionary<string, JsonElement>? Data { get; init; }
}

/// <summary>Support context for a contact (plan tier, account age, recent errors, anything key/value).</summary>
public sealed record ContactContextRequest
{
    /// <summary>Required, 1–100 keys, same rules as people data. Merged key by key into the contact's people data and into the session data of their open conversation; keys not named here are left as they are.</summary>
    public required IDictionary<string, JsonElement> Data { get; init; }
}

/// <summary>A staged Crisp call.</summary>
public sealed record StagedCall(long Id, string Kind, string Status);

/// <summary>The push is committed; its Crisp calls are queued (see GET /api/v1/deliveries).</summary>
/// <param name="Email">The contact's email, lower-cased.</param>
/// <param name="Created">Whether the hub saw this contact for the first time.</param>
/// <param name="Deliveries">The Crisp calls staged for this push, in delivery order.</param>
public sealed record ContactAcceptedResponse(string Email, bool Created, IReadOnlyList<StagedCall> Deliveries);
