using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.CrispSimulator.Infrastructure;

/// <summary>
/// Strict reading of request bodies. Anything malformed or of the wrong type raises 400 <c>invalid_data</c>;
/// nodes handed back are detached clones, safe to store in the simulator state.
/// </summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
        AllowDuplicateProperties = false,
    };

    /// <summary>Parses the raw body; an empty body is <c>null</c>.</summary>
    public static JsonNode? Parse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty || body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(body.Span, documentOptions: DocumentOptions);
            // Materialise the whole tree now so that any latent problem surfaces here, as a 400.
            Materialise(node);
            return node;
        }
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw CrispApiException.InvalidData("Request body is not valid JSON.");
        }
    }

    public static JsonObject RequireObject(JsonNode? node, string what = "body")
    {
        if (node is JsonObject obj)
        {
            return obj;
        }

        throw CrispApiException.InvalidData($"{what} must be a JSON object.");
    }

    public static bool Has(JsonObject obj, string name) => obj.ContainsKey(name);

    public static string RequireString(JsonObject obj, string name, bool allowEmpty = false)
    {
        var value = OptString(obj, name);
        if (value is null || (!allowEmpty && value.Length == 0))
        {
            throw CrispApiException.InvalidData($"'{name}' is required and must be a non-empty string.");
        }

        return value;
    }

    /// <summary>A string, or <c>null</c> when absent or JSON null; any other type is invalid.</summary>
    public static string? OptString(JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw CrispApiException.InvalidData($"'{name}' must be a string.");
        }

        return node.GetValue<string>();
    }

    public static bool? OptBool(JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw CrispApiException.InvalidData($"'{name}' must be a boolean."),
        };
    }

    public static long? OptInteger(JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() == JsonValueKind.Number && node is JsonValue value && value.TryGetValue<long>(out var result))
        {
            return result;
        }

        throw CrispApiException.InvalidData($"'{name}' must be an integer.");
    }

    public static double? OptNumber(JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() == JsonValueKind.Number && node is JsonValue value && value.TryGetValue<double>(out var result)
            && double.IsFinite(result))
        {
            return result;
        }

        throw CrispApiException.InvalidData($"'{name}' must be a number.");
    }

    /// <summary>An object (cloned), or <c>null</c> when absent or JSON null.</summary>
    public static JsonObject? OptObject(JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonObject child)
        {
            throw CrispApiException.InvalidData($"'{name}' must be an object.");
        }

        return (JsonObject)child.DeepClone();
    }

    public static List<string>? OptStringArray(JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            throw CrispApiException.InvalidData($"'{name}' must be an array of strings.");
        }

        var result = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (item is null || item.GetValueKind() != JsonValueKind.String)
            {
                throw CrispApiException.InvalidData($"'{name}' must be an array of strings.");
            }

            result.Add(item.GetValue<string>());
        }

        return result;
    }

    /// <summary>
    /// A Crisp data object (<c>{key: string|number|bool}</c>), cloned. Nested objects, arrays and nulls are refused.
    /// </summary>
    public static JsonObject RequireDataObject(JsonObject obj, string name)
    {
        if (!obj.TryGetPropertyValue(name, out var node) || node is null)
        {
            throw CrispApiException.InvalidData($"'{name}' is required and must be an object.");
        }

        return ValidateData(node, name);
    }

    public static JsonObject ValidateData(JsonNode? node, string name)
    {
        if (node is not JsonObject data)
        {
            throw CrispApiException.InvalidData($"'{name}' must be an object.");
        }

        foreach (var (key, value) in data)
        {
            if (key.Length == 0)
            {
                throw CrispApiException.InvalidData($"'{name}' keys must be non-empty.");
            }

            var kind = value?.GetValueKind() ?? JsonValueKind.Null;
            if (kind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
            {
                throw CrispApiException.InvalidData($"'{name}.{key}' must be a string, number or boolean.");
            }
        }

        return (JsonObject)data.DeepClone();
    }

    private static void Materialise(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Materialise(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Materialise(child);
                }

                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        _ = value.GetValue<string>(); // transcodes: invalid UTF-8 throws here
                        break;
                    case JsonValueKind.Number when !value.TryGetValue<double>(out var number) || !double.IsFinite(number):
                        throw new FormatException("Number out of range.");
                }

                break;
        }
    }
}
