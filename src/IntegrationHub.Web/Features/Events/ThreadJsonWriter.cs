using System.Buffers;
using System.Text.Json;

namespace IntegrationHub.Web.Features.Events;

/// <summary>
/// One reusable buffer and JSON writer per thread and per <typeparamref name="TOwner"/> (each owner its own, so one
/// owner's span survives another's write): a fresh buffer and writer per event were a tenth of the bytes an ingest
/// request allocated. What <see cref="Written"/> returns is valid until the thread's next <see cref="Begin"/> for
/// the same owner.
/// </summary>
internal static class ThreadJsonWriter<TOwner>
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>An empty writer; <paramref name="options"/> are used when this thread creates it.</summary>
    public static Utf8JsonWriter Begin(JsonWriterOptions options)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, options);
        if (buffer.Capacity > 64 * 1024)
        {
            // One huge payload must not pin its buffer to the thread for good.
            t_buffer = buffer = new ArrayBufferWriter<byte>(1024);
            writer.Reset(buffer);
        }

        buffer.ResetWrittenCount();
        writer.Reset();
        return writer;
    }

    /// <summary>What the writer wrote since <see cref="Begin"/> (flushes it first).</summary>
    public static ReadOnlySpan<byte> Written
    {
        get
        {
            t_writer!.Flush();
            return t_buffer!.WrittenSpan;
        }
    }
}
