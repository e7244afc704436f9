using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Idempotency;
using IntegrationHub.Web.Infrastructure.Api;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Contacts;

public static partial class ContactsApi
{
    public const int MaxBytes = 64 * 1024;
    public const int NicknameMaxLength = 256;
    public const int UrlMaxLength = 2048;
    public const int PhoneMaxLength = 32;

    // At least three digits: "+++" or "(-)" is punctuation, not a number Crisp or an operator could call.
    [GeneratedRegex("^(?=(?:[^0-9]*[0-9]){3})[0-9+() .-]{3,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    [GeneratedRegex("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DomainPattern();

    // What the hub stores and stages keeps non-ASCII text as it is: the default encoder writes each such character
    // as a six-character escape, and the columns (see Contact, CrispCall) count characters.
    private static readonly JsonSerializerOptions StoredJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static RouteGroupBuilder MapContactsApi(this RouteGroupBuilder api)
    {
        api.MapPut("/contacts/{email}", PutAsync)
            .WithName("PutContact")
            .AcceptsIdempotencyKey()
            .WithTags("Contacts")
            .WithSummary("Create or update a contact")
            .WithDescription("Upserts the Crisp people profile (nickname, avatar, phone, company, segments) and merges 'data' into the "
                + "person's people data, key by key. Fields left out are left alone. Answers 202 once the Crisp calls are committed to the "
                + "hub's queue; they are delivered in order for this email. Body: at most 64 KB.")
            .Accepts<ContactRequest>("application/json")
            .Produces<ContactAcceptedResponse>(StatusCodes.Status202Accepted)
            .WithStandardErrors(withBody: true, conflict: true);

        api.MapPatch("/contacts/{email}/context", PatchContextAsync)
            .WithName("PatchContactContext")
            .AcceptsIdempotencyKey()
            .WithTags("Contacts")
            .WithSummary("Push support context for a contact")
            .WithDescription("Merges the given keys into the contact's people data AND into the session data of the contact's open "
                + "conversation (no conversation is created). Merged key by key: keys an operator or another call set are never removed "
                + "or replaced unless named here. Answers 202 once committed.")
            .Accepts<ContactContextRequest>("application/json")
            .Produces<ContactAcceptedResponse>(StatusCodes.Status202Accepted)
            .WithStandardErrors(withBody: true, conflict: true);
        return api;
    }

    private sealed record Profile(string? Nickname, string? Avatar, string? Phone, JsonObject? Company, List<string>? Segments)
    {
        public bool IsEmpty => Nickname is null && Avatar is null && Phone is null && Company is null && Segments is null;
    }

    private static async Task<IResult> PutAsync(string email, HttpContext http, HubDbContext db, CrispCallOutbox outbox, IdempotencyStore idempotency,
        TimeProvider clock, IOptions<JsonOptions> json)
    {
        var (address, body, intent, problem) = await ReadAsync(PathEmail(http, email, fromEnd: 1), http);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            var errors = new FieldErrors();
            var root = body!.Root;
            Profile? profile = null;
            JsonObject? data = null;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add("$", $"The body is a JSON object, not {FieldErrors.Describe(root.ValueKind)}.");
            }
            else
            {
                errors.RejectUnknown(root, string.Empty, "nickname", "avatar", "phone", "company", "segments", "data");
                profile = ReadProfile(root, errors);
                if (root.TryGetProperty("data", out var dataElement) && dataElement.ValueKind != JsonValueKind.Null)
                {
                    data = CrispDataRules.ReadData(dataElement, "data", errors, required: false);
                }

                if (!errors.Any && profile!.IsEmpty && (data is null || data.Count == 0))
                {
                    errors.Add("$", "Nothing to update: give at least one of nickname, avatar, phone, company, segments, data.");
                }
            }

            if (errors.Any)
            {
                return ApiProblems.Validation(errors.ToDictionary());
            }

            return await CommitAsync(db, idempotency, intent, json.Value.SerializerOptions, clock, address!, (contact, storedErrors) =>
            {
                var calls = new List<CrispCall>();
                if (!profile!.IsEmpty)
                {
                    var payload = new JsonObject { ["email"] = address };
                    AddIfSet(payload, "nickname", profile.Nickname);
                    AddIfSet(payload, "avatar", profile.Avatar);
                    AddIfSet(payload, "phone", profile.Phone);
                    if (profile.Company is not null)
                    {
                        payload["company"] = profile.Company.DeepClone();
                    }

                    if (profile.Segments is not null)
                    {
                        payload["segments"] = new JsonArray(profile.Segments.Select(s => (JsonNode)s).ToArray());
                    }

                    var stored = JsonNode.Parse(contact.Profile)!.AsObject();
                    foreach (var (key, value) in payload)
                    {
                        if (key != "email")
                        {
                            stored[key] = value?.DeepClone();
                        }
                    }

                    contact.Profile = stored.ToJsonString(StoredJson);
                    if (contact.Profile.Length > Contact.ProfileMaxLength)
                    {
                        storedErrors.Add("$", $"This contact's profile would be over {Contact.ProfileMaxLength} characters of JSON once stored (nickname, avatar, "
                            + "phone, company and segments together; an emoji counts 12): send shorter values.");
                    }

                    calls.Add(outbox.Enqueue(CrispCallKinds.PeopleProfileUpsert, payload.ToJsonString(StoredJson), address));
                }

                if (data is { Count: > 0 })
                {
                    var dataPayload = new JsonObject { ["email"] = address, ["data"] = data.DeepClone() }.ToJsonString(StoredJson);
                    contact.Data = Merge(contact.Data, data);
                    CheckStoredData(contact.Data, dataPayload, storedErrors);
                    calls.Add(outbox.Enqueue(CrispCallKinds.PeopleDataMerge, dataPayload, address));
                }

                return calls;
            }, http.RequestAborted);
        }
    }

    private static async Task<IResult> PatchContextAsync(string email, HttpContext http, HubDbContext db, CrispCallOutbox outbox, IdempotencyStore idempotency,
        TimeProvider clock, IOptions<JsonOptions> json)
    {
        var (address, body, intent, problem) = await ReadAsync(PathEmail(http, email, fromEnd: 2), http);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            var errors = new FieldErrors();
            var root = body!.Root;
            JsonObject? data = null;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add("$", $"The body is a JSON object {{\"data\": {{...}}}}, not {FieldErrors.Describe(root.ValueKind)}.");
            }
            else
            {
                errors.RejectUnknown(root, string.Empty, "data");
                if (!root.TryGetProperty("data", out var dataElement))
                {
                    errors.Add("data", "Required: an object of key/value pairs to merge.");
                }
                else
                {
                    data = CrispDataRules.ReadData(dataElement, "data", errors, required: true);
                }
            }

            if (errors.Any || data is null)
            {
                return ApiProblems.Validation(errors.ToDictionary());
            }

            return await CommitAsync(db, idempotency, intent, json.Value.SerializerOptions, clock, address!, (contact, storedErrors) =>
            {
                var peoplePayload = new JsonObject { ["email"] = address, ["data"] = data.DeepClone() }.ToJsonString(StoredJson);
                var sessionPayload = new JsonObject { ["email"] = address, ["data"] = data.DeepClone(), ["create_conversation"] = false }.ToJsonString(StoredJson);
                contact.Context = Merge(contact.Context, data);
                CheckStoredData(contact.Context, sessionPayload, storedErrors);
                return
                [
                    outbox.Enqueue(CrispCallKinds.PeopleDataMerge, peoplePayload, address),
                    outbox.Enqueue(CrispCallKinds.SessionDataMerge, sessionPayload, address),
                ];
            }, http.RequestAborted);
        }
    }

    /// <summary>
    /// The {email} path segment, unescaped once. The server decodes the path except "%2F" (an escaped slash must not
    /// split a segment), so the route value of "a%2Fb%40x.io" is "a%2Fb@x.io" — stored and sent to Crisp as a
    /// different address — and reads the same as a literal "a%2Fb" sent as "a%252Fb". The raw request target tells
    /// them apart: its segment <paramref name="fromEnd"/> from the end is the email, fully escaped.
    /// </summary>
    internal static string PathEmail(HttpContext http, string routeValue, int fromEnd)
    {
        if (!routeValue.Contains('%', StringComparison.Ordinal))
        {
            return routeValue;
        }

        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var segments = (query < 0 ? raw : raw[..query]).Split('/');
        if (raw.StartsWith('/') && segments.Length > fromEnd)
        {
            var email = Uri.UnescapeDataString(segments[^fromEnd]);
            // A target the server rewrote (dot segments) has its segments elsewhere: then this one is not the route's.
            if (SlashesDecoded(email) == SlashesDecoded(routeValue))
            {
                return email;
            }
        }

        return SlashesDecoded(routeValue);
    }

    private static string SlashesDecoded(string text) => text.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    private static async Task<(string? Email, JsonRequestReader.Body? Body, IdempotencyKeys.Intent? Intent, IResult? Problem)> ReadAsync(string email, HttpContext http)
    {
        var address = CrispDataRules.NormalizeEmail(email, out var emailError);
        if (address is null)
        {
            // Checked first: a wrong address in the path is the caller's first problem, whatever the body.
            return (null, null, null, ApiProblems.Validation(new Dictionary<string, string[]> { ["email"] = [emailError!] }, "The email in the path is not valid."));
        }

        var (body, problem) = await JsonRequestReader.ReadAsync(http.Request, MaxBytes, http.RequestAborted);
        if (problem is not null)
        {
            return (null, null, null, problem);
        }

        var (intent, keyProblem) = IdempotencyKeys.Read(http.Request, body!.Bytes);
        if (keyProblem is not null)
        {
            body.Dispose();
            return (null, null, null, keyProblem);
        }

        return (address, body, intent, null);
    }

    /// <summary>
    /// Refuses data the hub could not store: a Crisp call's payload, and the contact's merged copy, have bounded columns.
    /// A body within its 64 KB can exceed them (an emoji is a 12-character escape in JSON), and the merged copy grows
    /// with every new key pushed for the contact.
    /// </summary>
    private static void CheckStoredData(string merged, string payload, FieldErrors errors)
    {
        if (payload.Length > CrispCall.PayloadMaxLength)
        {
            errors.Add("data", $"Over {CrispCall.PayloadMaxLength} characters of JSON once stored (an emoji counts 12): send these keys in several requests.");
        }
        else if (merged.Length > Contact.DataMaxLength)
        {
            errors.Add("data", $"This contact would hold over {Contact.DataMaxLength} characters of JSON with these keys (the hub keeps every key pushed "
                + "for a contact until it is cleared with \"\"): send fewer or shorter values, or clear keys no longer needed.");
        }
    }

    /// <summary>
    /// One transaction: the contact row, its outbox calls and the idempotency record. A concurrent first push of the
    /// same email (unique per tenant) is retried, and then finds the row the other request created; a concurrent
    /// request with the same Idempotency-Key that commits first makes this one roll back and answer from its record
    /// (a replay, or 409 for another body), so the key's work is done once. What <paramref name="stage"/> finds it could
    /// not store (it is told the merged row) rolls everything back and answers 422.
    /// </summary>
    private static async Task<IResult> CommitAsync(HubDbContext db, IdempotencyStore idempotency, IdempotencyKeys.Intent? intent, JsonSerializerOptions json,
        TimeProvider clock, string email, Func<Contact, FieldErrors, List<CrispCall>> stage, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var replay = await idempotency.CheckAsync(intent, cancellationToken);
            if (replay is not null)
            {
                return replay;
            }

            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            try
            {
                // Touching the row first locks it until this transaction ends: a concurrent push of the same contact
                // waits here, then reads what this one merged. Read first, both merged into the same old copy and
                // the later commit dropped the other's keys (on PostgreSQL; SQLite runs one writer at a time).
                var stored = StoredUnder(db, email);
                await stored.ExecuteUpdateAsync(s => s.SetProperty(c => c.UpdatedAt, now), cancellationToken);
                var found = await stored.ToListAsync(cancellationToken);
                var contact = found.Find(c => c.Email == email) ?? found.FirstOrDefault();
                var created = contact is null;
                if (contact is null)
                {
                    contact = new Contact { Id = Guid.CreateVersion7(now), Email = email, CreatedAt = now };
                    db.Add(contact);
                }
                else if (contact.Email != email)
                {
                    // Stored under an earlier spelling of this address: it takes the one spelling from now on.
                    contact.Email = email;
                }

                contact.UpdatedAt = now;
                var storedErrors = new FieldErrors();
                var calls = stage(contact, storedErrors);
                if (storedErrors.Any)
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    db.ChangeTracker.Clear();
                    return ApiProblems.Validation(storedErrors.ToDictionary());
                }

                await db.SaveChangesAsync(cancellationToken);

                // Call ids exist only now; the stored answer names them, and is committed with them.
                var response = new ContactAcceptedResponse(email, created,
                    calls.Select(c => new StagedCall(c.Id, c.Kind, c.Status.ToString().ToLowerInvariant())).ToList());
                var body = JsonSerializer.Serialize(response, json);
                if (!await idempotency.RememberAsync(intent, StatusCodes.Status202Accepted, body, null, cancellationToken))
                {
                    await transaction.RollbackAsync(CancellationToken.None);
                    db.ChangeTracker.Clear();
                    continue;
                }

                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return new IdempotencyKeys.StoredResult(StatusCodes.Status202Accepted, body, null, Replayed: false);
            }
            catch (DbUpdateException e) when (attempt <= 3 && UniqueKeyViolation.Is(e))
            {
                await transaction.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The contact of a normalised email, also when a row from before emails had one spelling holds another.</summary>
    private static IQueryable<Contact> StoredUnder(HubDbContext db, string email)
    {
        var spellings = CrispDataRules.StoredSpellings(email);
        return spellings.Count == 1
            ? db.Set<Contact>().Where(c => c.Email == email)
            : db.Set<Contact>().Where(c => spellings.Contains(c.Email));
    }

    private static Profile ReadProfile(JsonElement root, FieldErrors errors)
    {
        errors.TryOptionalString(root, "nickname", string.Empty, NicknameMaxLength, out var nickname);
        var avatar = ReadUrl(root, "avatar", string.Empty, errors);
        string? phone = null;
        if (errors.TryOptionalString(root, "phone", string.Empty, PhoneMaxLength, out phone) && phone is not null && !PhonePattern().IsMatch(phone))
        {
            errors.Add("phone", "Use digits, spaces and + ( ) - . only (3–32 characters, at least 3 digits).");
            phone = null;
        }

        JsonObject? company = null;
        if (root.TryGetProperty("company", out var companyElement) && companyElement.ValueKind != JsonValueKind.Null)
        {
            if (companyElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add("company", $"Must be an object {{name, url, domain}}, not {FieldErrors.Describe(companyElement.ValueKind)}.");
            }
            else
            {
                errors.RejectUnknown(companyElement, "company", "name", "url", "domain");
                company = [];
                if (errors.TryOptionalString(companyElement, "name", "company", NicknameMaxLength, out var name) && name is not null)
                {
                    company["name"] = name;
                }

                if (ReadUrl(companyElement, "url", "company", errors) is { } url)
                {
                    company["url"] = url;
                }

                if (errors.TryOptionalString(companyElement, "domain", "company", 253, out var domain) && domain is not null)
                {
                    if (DomainPattern().IsMatch(domain))
                    {
                        company["domain"] = domain.ToLowerInvariant();
                    }
                    else
                    {
                        errors.Add("company.domain", "Must be a domain name like acme.example.");
                    }
                }

                if (company.Count == 0)
                {
                    company = null;
                }
            }
        }

        List<string>? segments = null;
        if (root.TryGetProperty("segments", out var segmentsElement) && segmentsElement.ValueKind != JsonValueKind.Null)
        {
            segments = CrispDataRules.ReadSegments(segmentsElement, "segments", errors);
        }

        return new Profile(nickname, avatar, phone, company, segments);
    }

    private static string? ReadUrl(JsonElement obj, string name, string path, FieldErrors errors)
    {
        if (!errors.TryOptionalString(obj, name, path, UrlMaxLength, out var text) || text is null)
        {
            return null;
        }

        // The text is what Crisp gets, not Uri's cleaned-up form: Uri drops a tab or line break that Crisp would store.
        // A user:password part would be shown to every operator and visitor who sees the picture or the link.
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && !text.Any(char.IsWhiteSpace) && uri.UserInfo.Length == 0)
        {
            return text;
        }

        errors.Add(FieldErrors.Join(path, name), "Must be an absolute http(s) URL, without spaces and without a user:password part.");
        return null;
    }

    private static void AddIfSet(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

    /// <summary>
    /// Key-by-key merge: the given keys replace their old values; every other key stays. A key cleared with "" leaves
    /// the copy: it holds nothing, and otherwise a contact that reached the copy's limit could never take a new key.
    /// </summary>
    internal static string Merge(string existingJson, JsonObject changes)
    {
        var merged = JsonNode.Parse(existingJson) as JsonObject ?? [];
        foreach (var (key, value) in changes)
        {
            if (value is JsonValue text && text.TryGetValue<string>(out var cleared) && cleared.Length == 0)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value?.DeepClone();
            }
        }

        return merged.ToJsonString(StoredJson);
    }
}
