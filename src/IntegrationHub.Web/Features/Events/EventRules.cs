using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.Contacts;
using IntegrationHub.Web.Infrastructure.Api;
using IntegrationHub.Web.Infrastructure.Text;

namespace IntegrationHub.Web.Features.Events;

/// <summary>
/// The shape of one product event and its limits. Properties are the customer's own payload and may be nested
/// (rules pick values out of them later), but within a depth and size budget so one event cannot weigh a page.
/// </summary>
public static partial class EventRules
{
    public const int NameMaxLength = 100;
    public const int EmailMaxLength = CrispDataRules.EmailMaxLength;
    public const int UserIdMaxLength = 128;
    public const int MessageIdMaxLength = 128;
    public const int PropertiesMaxBytes = 32 * 1024;
    public const int PropertiesMaxDepth = 5;
    public const int PropertyNameMaxLength = 128;
    public const int PropertyStringMaxLength = 8_000;

    /// <summary>How far in the future a timestamp may be (clock skew), and how far back.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromHours(1);

    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(365);

    private static readonly string[] Fields = ["event", "email", "user_id", "properties", "timestamp", "message_id"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9 _.:/-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    // ISO-8601's extended date-time with an offset (RFC 3339, and the basic offsets +0100 / +01): the shape is checked
    // here because DateTimeOffset.TryParse also reads "2026/12/07", a weekday prefix or an offset after a space.
    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    [GeneratedRegex("^[\\x21-\\x7E]+$", RegexOptions.CultureInvariant)]
    private static partial Regex MessageIdPattern();

    /// <summary>Validates one event into a fresh <paramref name="errors"/>; returns the row to store (without tenant) or null with errors recorded.</summary>
    public static ProductEvent? Read(JsonElement item, string path, FieldErrors errors, DateTimeOffset now)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Length == 0 ? "$" : path, $"An event is a JSON object, not {FieldErrors.Describe(item.ValueKind)}.");
            return null;
        }

        errors.RejectUnknown(item, path, Fields);

        string? name = null;
        if (!item.TryGetProperty("event", out var nameElement) || nameElement.ValueKind == JsonValueKind.Null)
        {
            errors.Add(FieldErrors.Join(path, "event"), "Required: the event's name, e.g. \"signed_up\".");
        }
        else if (errors.TryOptionalString(item, "event", path, NameMaxLength, out name, required: true) && name is not null && !NamePattern().IsMatch(name))
        {
            errors.Add(FieldErrors.Join(path, "event"), "Use letters, digits, spaces and _ . : / - (starting with a letter or digit).");
            name = null;
        }

        string? email = null;
        var emailOk = errors.TryOptionalString(item, "email", path, EmailMaxLength, out var rawEmail);
        if (emailOk && rawEmail is not null)
        {
            email = CrispDataRules.NormalizeEmail(rawEmail, out var emailError);
            if (email is null)
            {
                errors.Add(FieldErrors.Join(path, "email"), emailError!);
            }
        }

        var userIdOk = errors.TryOptionalString(item, "user_id", path, UserIdMaxLength, out var userId);
        if (emailOk && rawEmail is null && userIdOk && userId is null)
        {
            errors.Add(FieldErrors.Join(path, "email"), "Give an email and/or a user_id: who did this? (Crisp keys people on email.)");
        }

        string? messageId = null;
        if (errors.TryOptionalString(item, "message_id", path, MessageIdMaxLength, out messageId) && messageId is not null && !MessageIdPattern().IsMatch(messageId))
        {
            errors.Add(FieldErrors.Join(path, "message_id"), "Use printable ASCII without spaces.");
            messageId = null;
        }

        var occurredAt = now;
        if (errors.TryOptionalString(item, "timestamp", path, 40, out var timestamp) && timestamp is not null)
        {
            if (!TimestampPattern().IsMatch(timestamp)
                || !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.None, out occurredAt))
            {
                errors.Add(FieldErrors.Join(path, "timestamp"), "Must be an ISO-8601 date and time with an offset, e.g. 2026-11-25T09:30:00Z.");
            }
            else if (occurredAt > now + MaxFutureSkew)
            {
                errors.Add(FieldErrors.Join(path, "timestamp"), "Is more than an hour in the future.");
            }
            else if (occurredAt < now - MaxAge)
            {
                errors.Add(FieldErrors.Join(path, "timestamp"), "Is more than a year in the past.");
            }
        }

        var properties = "{}";
        if (item.TryGetProperty("properties", out var props) && props.ValueKind != JsonValueKind.Null)
        {
            var at = FieldErrors.Join(path, "properties");
            if (props.ValueKind != JsonValueKind.Object)
            {
                errors.Add(at, $"Must be an object, not {FieldErrors.Describe(props.ValueKind)}.");
            }
            else
            {
                // The common case (everything valid) is answered without building a JSON path per property; only
                // a payload that fails is walked again to say where.
                if (!PropertiesAreValid(props, 1))
                {
                    CheckProperties(props, at, 1, errors);
                }

                var raw = CompactWriter.Write(props);
                if (raw.Length > PropertiesMaxBytes)
                {
                    errors.Add(at, $"Must be at most {PropertiesMaxBytes / 1024} KB of JSON.");
                }
                else
                {
                    properties = System.Text.Encoding.UTF8.GetString(raw);
                }
            }
        }

        if (errors.Any || name is null)
        {
            return null;
        }

        return new ProductEvent
        {
            Id = Guid.CreateVersion7(now),
            Name = name,
            Email = email,
            UserId = userId,
            Properties = properties,
            OccurredAt = occurredAt.ToUniversalTime(),
            AcceptedAt = now,
            MessageId = messageId,
            ContentHash = ContentHashOf(name, email, userId, timestamp is null ? null : occurredAt, messageId, props),
        };
    }

    /// <summary>
    /// SHA-256 (hex) of what the event means, so a client's retry of a message_id is recognised however its JSON is
    /// written: the values as the hub reads them (email lower-cased, the instant of an explicit timestamp, none when
    /// it was left out), and the properties with every object's keys in ordinal order and strings unescaped — key
    /// order, escapes, whitespace and an empty or absent properties object do not change it; any value does.
    /// </summary>
    public static string ContentHashOf(string name, string? email, string? userId, DateTimeOffset? timestamp, string? messageId, JsonElement properties)
    {
        var canonical = CanonicalWriter.Write(name, email, userId, timestamp, messageId, properties);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(canonical, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// The same rules as <see cref="CheckProperties"/> without recording anything: true when it would record no
    /// error. Keep the two in step (a test feeds both the same payloads).
    /// </summary>
    internal static bool PropertiesAreValid(JsonElement element, int depth)
    {
        if (depth > PropertiesMaxDepth)
        {
            return false;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!PropertyNameIsValid(property) || !PropertiesAreValid(property.Value, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!PropertiesAreValid(item, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.String:
                // UTF-8 (escaped or not) never takes fewer bytes than the UTF-16 characters it decodes to.
                return JsonMarshal.GetRawUtf8Value(element).Length - 2 <= PropertyStringMaxLength
                    || element.GetString()!.Length <= PropertyStringMaxLength;
            case JsonValueKind.Number:
                return element.TryGetDouble(out var number) && double.IsFinite(number);
            default:
                return true;
        }
    }

    /// <summary>A name of plain printable UTF-8 within the length cap is answered from its raw bytes; anything else (escapes, long names) from the decoded name.</summary>
    private static bool PropertyNameIsValid(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.Length == 0)
        {
            return false;
        }

        if (raw.Length <= PropertyNameMaxLength && raw.IndexOfAny((byte)'\\', (byte)0x7F, (byte)0xC2) < 0)
        {
            return true;
        }

        var name = property.Name;
        return name.Length is > 0 and <= PropertyNameMaxLength && !FieldErrors.HasControlCharacters(name);
    }

    private static void CheckProperties(JsonElement element, string path, int depth, FieldErrors errors)
    {
        if (depth > PropertiesMaxDepth)
        {
            errors.Add(path, $"Properties may nest at most {PropertiesMaxDepth} levels.");
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = property.Name;
                    var at = $"{path}.{(name.Length > PropertyNameMaxLength ? TextCut.Truncate(name, PropertyNameMaxLength) + "…" : name)}";
                    if (name.Length == 0 || name.Length > PropertyNameMaxLength || FieldErrors.HasControlCharacters(name))
                    {
                        errors.Add(at, $"Property names are 1–{PropertyNameMaxLength} characters without control characters.");
                        continue;
                    }

                    CheckProperties(property.Value, at, depth + 1, errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckProperties(item, $"{path}[{index++}]", depth + 1, errors);
                }

                break;
            case JsonValueKind.String:
                if (element.GetString()!.Length > PropertyStringMaxLength)
                {
                    errors.Add(path, $"Strings are at most {PropertyStringMaxLength} characters.");
                }

                break;
            case JsonValueKind.Number:
                if (!element.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    errors.Add(path, "Numbers must be finite.");
                }

                break;
        }
    }

    /// <summary>An event's properties without insignificant whitespace, as stored (one reusable writer per thread).</summary>
    private static class CompactWriter
    {
        private static readonly JsonWriterOptions Options = new()
        {
            Indented = false,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        };

        public static ReadOnlySpan<byte> Write(JsonElement element)
        {
            element.WriteTo(ThreadJsonWriter<Marker>.Begin(Options));
            return ThreadJsonWriter<Marker>.Written;
        }

        private sealed class Marker;
    }
}
