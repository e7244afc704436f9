using System.Buffers;
using System.Text.Json;
using IntegrationHub.Web.Infrastructure.Json;
using Microsoft.Net.Http.Headers;

namespace IntegrationHub.Web.Infrastructure.Api;

/// <summary>
/// Reads an API request body the strict way, before anything is parsed into objects: JSON media type (else 415),
/// a size cap checked on Content-Length and while reading (else 413), well-formed JSON within a depth limit
/// (else 400). Minimal API binding answers some of these with empty bodies or 500s; this answers problem details.
/// </summary>
public static class JsonRequestReader
{
    /// <summary>Depth of the whole document; event properties have their own, smaller limit.</summary>
    public const int MaxDepth = 16;

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public sealed record Body(byte[] Bytes, JsonDocument Document) : IDisposable
    {
        public JsonElement Root => Document.RootElement;

        public void Dispose() => Document.Dispose();
    }

    public static bool IsJson(HttpRequest request)
    {
        // What nearly every client sends, recognised without parsing the header.
        if (request.ContentType is "application/json" or "application/json; charset=utf-8")
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.MediaType.Value is not { } media)
        {
            return false;
        }

        // A quoted charset (charset="utf-8") is the same parameter (RFC 9110 §5.6.6).
        if (type.Charset.HasValue && !HeaderUtilities.RemoveQuotes(type.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Returns the parsed body, or the problem to answer instead.</summary>
    public static async Task<(Body? Body, IResult? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!IsJson(request))
        {
            return (null, ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, ApiProblems.UnsupportedMediaType,
                "Unsupported media type", "Send the body as 'Content-Type: application/json' (UTF-8)."));
        }

        // Request decompression removes the header of a coding it undid; one still here is one it does not know.
        if (request.Headers.ContentEncoding is { Count: > 0 } coding && !coding.ToString().Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, ApiProblems.UnsupportedMediaType,
                "Unsupported media type", $"Content-Encoding '{coding}' is not supported: send the body uncompressed, or as gzip, br or deflate."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        byte[]? bytes;
        try
        {
            bytes = await ReadCappedAsync(request.Body, maxBytes, cancellationToken);
        }
        catch (UndecodableBodyException e)
        {
            return (null, Malformed(e.Message));
        }

        if (bytes is null)
        {
            return (null, TooLarge(maxBytes));
        }

        // RFC 8259 §8.1 lets a parser ignore a byte order mark, and files saved by Windows tools start with one; the
        // parser itself refuses it as "not valid JSON (line 1, byte 1)", which tells the sender nothing.
        if (bytes.AsSpan().StartsWith(Utf8ByteOrderMark))
        {
            bytes = bytes[Utf8ByteOrderMark.Length..];
        }

        if (bytes.Length == 0)
        {
            return (null, Malformed("The request body is empty."));
        }

        // Invalid UTF-8, unpaired surrogate escapes and repeated names parse, and only fail later: refused here.
        if (StrictJson.Parse(bytes, MaxDepth, out var detail) is not { } document)
        {
            return (null, Malformed(detail));
        }

        return (new Body(bytes, document), null);
    }

    private static ApiProblems.ProblemResult Malformed(string detail) =>
        ApiProblems.Problem(StatusCodes.Status400BadRequest, ApiProblems.InvalidJson, "Malformed JSON", detail);

    private static ApiProblems.ProblemResult TooLarge(int maxBytes) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, ApiProblems.PayloadTooLarge, "Payload too large",
            $"This endpoint accepts bodies of at most {maxBytes / 1024} KB ({maxBytes} bytes).");

    private static async Task<byte[]?> ReadCappedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 16 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        return null;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, maxBytes + 1) - length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    return null;
                }
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
