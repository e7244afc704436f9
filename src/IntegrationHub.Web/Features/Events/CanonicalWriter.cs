using System.Buffers;
using System.Text.Json;

namespace IntegrationHub.Web.Features.Events;

/// <summary>
/// One event's meaning as bytes, for its content hash: a JSON array of its read values and its properties with
/// every object's keys sorted (ordinal) and strings re-encoded. The buffer is per thread: hashing runs per event.
/// </summary>
internal static class CanonicalWriter
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static ReadOnlySpan<byte> Write(string name, string? email, string? userId, DateTimeOffset? timestamp, string? messageId, JsonElement properties)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        if (buffer.Capacity > 64 * 1024)
        {
            // One huge payload must not pin its buffer to the thread for good.
            t_buffer = buffer = new ArrayBufferWriter<byte>(1024);
            writer.Reset(buffer);
        }

        buffer.ResetWrittenCount();
        writer.Reset();
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
        writer.Flush();
        return buffer.WrittenSpan;
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
}
