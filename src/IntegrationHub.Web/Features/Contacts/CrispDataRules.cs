using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Infrastructure.Api;
using IntegrationHub.Web.Infrastructure.Text;

namespace IntegrationHub.Web.Features.Contacts;

/// <summary>
/// What Crisp accepts in people data and session data, checked when the hub accepts a request rather than when
/// a delivery job fails later. Same rules as the frontend kit (wwwroot/kit): keys are 1–64 characters of
/// lowercase a–z, 0–9, "_" and "-" (no dots: Crisp reads dotted names as paths); values are strings, finite
/// numbers or booleans (never objects, arrays or null; an empty string clears a key).
/// </summary>
public static partial class CrispDataRules
{
    public const int KeyMaxLength = 64;
    public const int StringValueMaxLength = 2_000;
    public const int MaxKeysPerRequest = 100;
    public const int SegmentMaxLength = 64;
    public const int MaxSegments = 50;
    public const int EmailMaxLength = 254;

    [GeneratedRegex("^[a-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    // The kit's shape check: local@domain.tld, no spaces or mail-header punctuation. JavaScript's \s also holds U+FEFF
    // (a byte-order mark pasted along with an address), .NET's does not: named here so both refuse the same addresses.
    [GeneratedRegex("^[^\\s\\uFEFF@<>()\\[\\],;:\"\\\\]+@[^\\s\\uFEFF@<>()\\[\\],;:\"\\\\.]+(\\.[^\\s\\uFEFF@<>()\\[\\],;:\"\\\\.]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    public static bool IsValidKey(string key) => KeyPattern().IsMatch(key);

    /// <summary>Returns the email in its one canonical spelling (lower-cased; see <see cref="CanonicalUnicode"/>), or null with the reason.</summary>
    public static string? NormalizeEmail(string? email, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(email))
        {
            error = "An email is required.";
            return null;
        }

        var trimmed = email.Trim();
        if (trimmed.Length > EmailMaxLength)
        {
            error = $"Must be at most {EmailMaxLength} characters.";
            return null;
        }

        var ascii = Ascii.IsValid(trimmed);
        if (!ascii && InvisibleOrLookAlike(trimmed) is { } refused)
        {
            error = refused;
            return null;
        }

        if (!EmailPattern().IsMatch(trimmed) || FieldErrors.HasControlCharacters(trimmed))
        {
            error = "Must be an email address like name@example.com.";
            return null;
        }

        if (ascii && !trimmed.Contains("xn--", StringComparison.OrdinalIgnoreCase))
        {
            return trimmed.ToLowerInvariant();
        }

        var canonical = CanonicalUnicode(trimmed, out error);
        if (canonical is not null && canonical.Length > EmailMaxLength)
        {
            error = $"Must be at most {EmailMaxLength} characters.";
            return null;
        }

        return canonical;
    }

    private static readonly IdnMapping Idn = new();

    /// <summary>
    /// Invisible characters (zero-width spaces and joiners, word joiners, byte order marks, bidi marks: Unicode format
    /// characters) and look-alikes of '@' are refused: kept, they would make a second contact of one person's address.
    /// </summary>
    private static string? InvisibleOrLookAlike(string email)
    {
        foreach (var c in email)
        {
            if (char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return $"Contains an invisible character (U+{(int)c:X4}); remove it.";
            }

            if (c is '\uFF20' or '\uFE6B')
            {
                return $"Contains '{c}' (U+{(int)c:X4}) instead of '@'; use the plain '@'.";
            }
        }

        return null;
    }

    /// <summary>
    /// One spelling per address: NFC-normalised, an internationalised domain in its Unicode form and its ASCII
    /// ("xn--") spelling read as the name it encodes, so both are one contact.
    /// </summary>
    private static string? CanonicalUnicode(string email, out string? error)
    {
        error = null;
        var normalized = email.Normalize(NormalizationForm.FormC);
        var at = normalized.LastIndexOf('@');
        string domain;
        try
        {
            domain = Idn.GetUnicode(Idn.GetAscii(normalized[(at + 1)..]));
        }
        catch (ArgumentException)
        {
            error = "The domain is not a valid domain name.";
            return null;
        }

        return (normalized[..(at + 1)] + domain).ToLowerInvariant();
    }

    /// <summary>
    /// The spellings under which a contact of this normalised address may be stored: the address itself first, then
    /// how rows written before emails had one spelling (they were only lower-cased) may hold it — decomposed (NFD, as
    /// some keyboards send accents) and with its internationalised domain in ASCII (<c>xn--</c>). Looking up all of
    /// them keeps one person one contact without rewriting the table.
    /// </summary>
    public static IReadOnlyList<string> StoredSpellings(string normalized)
    {
        if (Ascii.IsValid(normalized))
        {
            return [normalized];
        }

        var spellings = new List<string> { normalized };
        var at = normalized.LastIndexOf('@');
        var domain = normalized[(at + 1)..];
        var asciiDomain = Ascii.IsValid(domain) ? domain : Idn.GetAscii(domain).ToLowerInvariant();
        foreach (var local in new[] { normalized[..at], normalized[..at].Normalize(NormalizationForm.FormD) })
        {
            foreach (var spelling in new[] { $"{local}@{domain.Normalize(NormalizationForm.FormD)}", $"{local}@{asciiDomain}" })
            {
                if (!spellings.Contains(spelling, StringComparer.Ordinal))
                {
                    spellings.Add(spelling);
                }
            }
        }

        return spellings;
    }

    /// <summary>Validates a flat data object and returns it as a JSON object of accepted pairs (null when invalid).</summary>
    public static JsonObject? ReadData(JsonElement element, string path, FieldErrors errors, bool required)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"Must be an object of key/value pairs, not {FieldErrors.Describe(element.ValueKind)}.");
            return null;
        }

        var result = new JsonObject();
        var count = 0;
        var ok = true;
        foreach (var property in element.EnumerateObject())
        {
            count++;
            var key = property.Name;
            var at = $"{path}.{(key.Length > KeyMaxLength ? TextCut.Truncate(key, KeyMaxLength) + "…" : key)}";
            if (!IsValidKey(key))
            {
                errors.Add(at, $"Key refused: use 1–{KeyMaxLength} characters of lowercase a–z, 0–9, '_' or '-' (Crisp refuses others; no dots).");
                ok = false;
                continue;
            }

            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    var text = value.GetString()!;
                    if (text.Length > StringValueMaxLength)
                    {
                        errors.Add(at, $"String values are at most {StringValueMaxLength} characters.");
                        ok = false;
                    }
                    else if (FieldErrors.HasControlCharacters(text))
                    {
                        errors.Add(at, "String values must not contain control characters.");
                        ok = false;
                    }
                    else
                    {
                        result[key] = text;
                    }

                    break;
                case JsonValueKind.Number:
                    if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                    {
                        errors.Add(at, "Numbers must be finite.");
                        ok = false;
                    }
                    else
                    {
                        result[key] = JsonNode.Parse(value.GetRawText());
                    }

                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    result[key] = value.GetBoolean();
                    break;
                default:
                    errors.Add(at, $"Crisp data values are strings, finite numbers or booleans, not {FieldErrors.Describe(value.ValueKind)}"
                        + (value.ValueKind == JsonValueKind.Null ? " (send an empty string to clear a key)." : " (flatten nested values into separate keys)."));
                    ok = false;
                    break;
            }
        }

        if (count > MaxKeysPerRequest)
        {
            errors.Add(path, $"At most {MaxKeysPerRequest} keys per request (got {count}).");
            ok = false;
        }

        if (required && count == 0)
        {
            errors.Add(path, "Give at least one key.");
            ok = false;
        }

        return ok ? result : null;
    }

    /// <summary>Validates a segment list: 1–50 non-empty strings of at most 64 characters, de-duplicated.</summary>
    public static List<string>? ReadSegments(JsonElement element, string path, FieldErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, $"Must be an array of strings, not {FieldErrors.Describe(element.ValueKind)}.");
            return null;
        }

        var segments = new List<string>();
        var index = 0;
        var ok = true;
        foreach (var item in element.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                errors.Add(at, "Must be a non-empty string.");
                ok = false;
                continue;
            }

            var segment = item.GetString()!.Trim();
            if (segment.Length > SegmentMaxLength || FieldErrors.HasControlCharacters(segment))
            {
                errors.Add(at, $"Must be at most {SegmentMaxLength} characters, without control characters.");
                ok = false;
                continue;
            }

            if (!segments.Contains(segment, StringComparer.Ordinal))
            {
                segments.Add(segment);
            }
        }

        if (index > MaxSegments)
        {
            errors.Add(path, $"At most {MaxSegments} segments.");
            ok = false;
        }

        return ok ? segments : null;
    }
}
