using System.Text.Json;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// Checks a JSON value against a schema of the hub's OpenAPI document, the way a generated client would read it:
/// property names (unknown ones where the schema closes the object), required properties, types, nullability and
/// enums, following $ref, allOf/oneOf/anyOf. Formats are not checked.
/// </summary>
internal static class OpenApiSchemaCheck
{
    public static List<string> Errors(JsonElement value, JsonElement schema, JsonElement document)
    {
        var errors = new List<string>();
        Check(value, schema, document, "$", errors);
        return errors;
    }

    private static void Check(JsonElement value, JsonElement schema, JsonElement document, string at, List<string> errors)
    {
        schema = Resolve(schema, document);
        if (schema.TryGetProperty("allOf", out var all))
        {
            foreach (var part in all.EnumerateArray())
            {
                Check(value, part, document, at, errors);
            }
        }

        foreach (var choice in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(choice, out var options)
                && !options.EnumerateArray().Any(option => Errors(value, option, document).Count == 0))
            {
                errors.Add($"{at}: matches none of its {choice} schemas");
            }
        }

        var types = TypesOf(schema);
        if (value.ValueKind == JsonValueKind.Null)
        {
            var nullable = schema.TryGetProperty("nullable", out var n) && n.GetBoolean();
            if (types.Count > 0 && !nullable && !types.Contains("null"))
            {
                errors.Add($"{at}: null where the schema has {string.Join("|", types)}");
            }

            return;
        }

        if (types.Count > 0 && !types.Any(type => Is(value, type)))
        {
            errors.Add($"{at}: {value.ValueKind} where the schema has {string.Join("|", types)}");
            return;
        }

        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            errors.Add($"{at}: {value} is not one of {allowed}");
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            CheckObject(value, schema, document, at, errors);
        }
        else if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Check(item, items, document, $"{at}[{index++}]", errors);
            }
        }
    }

    private static void CheckObject(JsonElement value, JsonElement schema, JsonElement document, string at, List<string> errors)
    {
        var properties = schema.TryGetProperty("properties", out var p) ? p : default;
        var additional = schema.TryGetProperty("additionalProperties", out var a) ? a : default;
        foreach (var property in value.EnumerateObject())
        {
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Check(property.Value, propertySchema, document, $"{at}.{property.Name}", errors);
            }
            else if (additional.ValueKind == JsonValueKind.False)
            {
                errors.Add($"{at}.{property.Name}: not a property of the schema (it has {string.Join(", ", properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject().Select(x => x.Name) : [])})");
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Check(property.Value, additional, document, $"{at}.{property.Name}", errors);
            }
        }

        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out _))
                {
                    errors.Add($"{at}: required property '{name}' is missing");
                }
            }
        }
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement document)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var target = document;
            foreach (var segment in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }

            schema = target;
        }

        return schema;
    }

    private static List<string> TypesOf(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)]
        : [type.GetString()!];

    private static bool Is(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };
}
