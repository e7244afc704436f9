using System.Text.Json;
using IntegrationHub.Web.Infrastructure.Text;

namespace IntegrationHub.Web.Infrastructure.Api;

/// <summary>Validation errors keyed by JSON path into the request (e.g. <c>events[3].email</c>).</summary>
public sealed class FieldErrors
{
    // Created on the first error: most requests have none.
    private Dictionary<string, List<string>>? _errors;

    public bool Any => _errors is { Count: > 0 };

    public void Add(string path, string message)
    {
        _errors ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!_errors.TryGetValue(path, out var list))
        {
            _errors[path] = list = [];
        }

        list.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() =>
        (_errors ?? []).ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    /// <summary>"a string", "a number", "an object"...: how a wrong value is described without echoing it.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>Fails on control characters (other than tab) in free text: they are never meant and break logs and Crisp.</summary>
    public static bool HasControlCharacters(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) && c != '\t')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads an optional string property with a length cap; records an error for a wrong type or length.</summary>
    // required: the caller checked presence, so an empty value cannot be "left out instead".
    public bool TryOptionalString(JsonElement obj, string name, string path, int maxLength, out string? value, bool allowControl = false,
        bool required = false)
    {
        value = null;
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        var at = Join(path, name);
        if (element.ValueKind != JsonValueKind.String)
        {
            Add(at, $"Must be a string, not {Describe(element.ValueKind)}.");
            return false;
        }

        var text = element.GetString()!;
        if (text.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            Add(at, required ? "Must not be empty." : "Must not be empty (leave the field out instead).");
            return false;
        }

        if (text.Length > maxLength)
        {
            Add(at, $"Must be at most {maxLength} characters (got {text.Length}).");
            return false;
        }

        if (!allowControl && HasControlCharacters(text))
        {
            Add(at, "Must not contain control characters.");
            return false;
        }

        value = text;
        return true;
    }

    /// <summary>Records an error for every property not in <paramref name="known"/>: a typo must not pass silently.</summary>
    public void RejectUnknown(JsonElement obj, string path, params string[] known)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!IsKnown(property, known))
            {
                Add(Join(path, property.Name.Length > 64 ? TextCut.Truncate(property.Name, 64) + "…" : property.Name),
                    $"Unknown field. Known fields: {string.Join(", ", known)}.");
            }
        }
    }

    // NameEquals compares the raw UTF-8 name: no string per property of every request.
    private static bool IsKnown(JsonProperty property, string[] known)
    {
        foreach (var name in known)
        {
            if (property.NameEquals(name))
            {
                return true;
            }
        }

        return false;
    }
}
