using System.Text.Json;
using System.Text.Unicode;

namespace IntegrationHub.Web.Infrastructure.Json;

/// <summary>
/// Parses a JSON body the strict way, for every door where outside bytes come in (the customer API, Crisp hooks):
/// text that is not UTF-8, strings with unpaired surrogate escapes and repeated property names are refused before
/// anything reads the document. The parser itself checks structure, not text: such bodies parse, and only fail later
/// wherever a string is read or a name is indexed — as a 500, or in a background job that then never succeeds.
/// </summary>
public static class StrictJson
{
    /// <summary>The parsed document, or null and a message for the sender (positions only, never body content).</summary>
    public static JsonDocument? Parse(byte[] bytes, int maxDepth, out string error)
    {
        if (!Utf8.IsValid(bytes))
        {
            error = "The body is not valid UTF-8.";
            return null;
        }

        // Before parsing: the parser's own duplicate-name check fails on such a name with an exception of its own.
        if (UnpairedSurrogateAt(bytes, maxDepth) is { } offset)
        {
            error = $"The JSON has a string with an unpaired surrogate escape, which is not text (byte {offset + 1}).";
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(bytes, new JsonDocumentOptions
            {
                MaxDepth = maxDepth,
                AllowTrailingCommas = false,
                CommentHandling = JsonCommentHandling.Disallow,
                // {"event":"a","event":"b"} means nothing certain: refused rather than read as the last one.
                AllowDuplicateProperties = false,
            });
            error = string.Empty;
            return document;
        }
        catch (JsonException e)
        {
            // The reader's message names the line and byte position and, for depth, the limit; it has no request data.
            // A repeated name is found by the document, not the reader: that exception carries no position.
            // Both the depth limit ("The maximum configured depth of 16 has been exceeded") and a body cut short ("Expected
            // depth to be zero at the end of the JSON payload") mention depth: only the first is about nesting.
            var at = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            error = e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase) ? $"The JSON is nested deeper than {maxDepth} levels."
                : e.Message.Contains("depth to be zero", StringComparison.OrdinalIgnoreCase) ? $"The body ends before every object and array in it is closed{at}."
                : e.Message.Contains("uplicate", StringComparison.Ordinal) ? $"The JSON repeats a property name within one object{at}."
                : $"The body is not valid JSON{at}.";
            return null;
        }
    }

    /// <summary>The offset of the first string or name whose escapes leave an unpaired UTF-16 surrogate, else null.</summary>
    private static long? UnpairedSurrogateAt(byte[] bytes, int maxDepth)
    {
        // Surrogates can only come in as \uD800–\uDFFF escapes: bodies without one (nearly all) are not walked.
        if (bytes.AsSpan().IndexOf("\\ud"u8) < 0 && bytes.AsSpan().IndexOf("\\uD"u8) < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader is { TokenType: JsonTokenType.String or JsonTokenType.PropertyName, ValueIsEscaped: true })
                {
                    try
                    {
                        _ = reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        return reader.TokenStartIndex;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Malformed before any such string: the parse that follows names where.
        }

        return null;
    }
}
