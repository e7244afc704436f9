using System.Text.Json;

namespace IntegrationHub.Web.Features.Events;

/// <summary>
/// One event's meaning as bytes, for its content hash: a JSON array of its read values and its properties with
/// every object's keys sorted (ordinal) and strings re-encoded, in the thread's reusable writer (hashing runs per event).
/// </summary>
internal static class CanonicalWriter
{
    public static ReadOnlySpan<byte> Write(string name, string? email, string? userId, DateTimeOffset? timestamp, string? messageId, JsonElement properties)
    {
        var writer = ThreadJsonWriter<Marker>.Begin(new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartArray();
        writer.WriteStringValue(name);
        WriteOrNull(writer, email);
        WriteOrNull(writer, userId);
        if (timestamp is { } at)
        {
            writer.WriteNumberValue(at.UtcTicks);
        }
        else
        {
            writer.WriteNullValue();
        }

        WriteOrNull(writer, messageId);
        if (properties.ValueKind == JsonValueKind.Object)
        {
            WriteSorted(writer, properties);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return ThreadJsonWriter<Marker>.Written;
    }

    private static void WriteOrNull(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static void WriteSorted(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<(string Name, JsonElement Value)>();
                foreach (var property in element.EnumerateObject())
                {
                    members.Add((property.Name, property.Value));
                }

                members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var (memberName, value) in members)
                {
                    writer.WritePropertyName(memberName);
                    WriteSorted(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteSorted(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                // Numbers as sent (1 and 1.0 are different content), true, false and null.
                element.WriteTo(writer);
                break;
        }
    }

    private sealed class Marker;
}
