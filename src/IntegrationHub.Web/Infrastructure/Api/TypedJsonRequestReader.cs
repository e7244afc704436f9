using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.Web.Infrastructure.Api;

/// <summary>
/// Reads a JSON body into a request type for the API's smaller endpoints (relay, auto-replies, rule preview) with the
/// same answers as the event and contact endpoints: the strict reader's 415 / 413 / 400 <c>invalid-json</c>, then a
/// 422 <c>validation-failed</c> naming the field for a body that is not an object, a value of the wrong type or an
/// unknown field. Minimal API binding would answer 400 with the framework's wording and ignore unknown fields.
/// </summary>
public static class TypedJsonRequestReader
{
    // One strict copy per options instance (the API's options are a singleton).
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> StrictCopies = new();

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, JsonSerializerOptions options,
        CancellationToken cancellationToken)
        where T : class
    {
        var (body, problem) = await JsonRequestReader.ReadAsync(request, maxBytes, cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        using (body)
        {
            if (body!.Root.ValueKind != JsonValueKind.Object)
            {
                return (null, Invalid("$", $"The body is a JSON object, not {FieldErrors.Describe(body.Root.ValueKind)}."));
            }

            try
            {
                var value = body.Root.Deserialize<T>(StrictCopies.GetValue(options, Strict));
                return value is null ? (null, Invalid("$", "The body is a JSON object.")) : (value, null);
            }
            catch (JsonException ex)
            {
                return (null, Invalid(FieldPath(ex.Path), Explain(ex)));
            }
        }
    }

    private static JsonSerializerOptions Strict(JsonSerializerOptions options) =>
        new(options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private static ApiProblems.ProblemResult Invalid(string path, string message) =>
        ApiProblems.Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { [path] = [message] });

    /// <summary>"$.rules[0].name" → "rules[0].name", the key style of every other API error.</summary>
    internal static string FieldPath(string? jsonPath) => jsonPath switch
    {
        null or "" or "$" => "$",
        _ when jsonPath.StartsWith("$.", StringComparison.Ordinal) => jsonPath[2..],
        _ when jsonPath.StartsWith('$') => jsonPath[1..],
        _ => jsonPath,
    };

    // The serializer's messages name .NET types; a caller needs to know what the field takes instead.
    private static string Explain(JsonException ex) =>
        ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "Unknown field: this endpoint does not take it (check the spelling; names are snake_case)."
            : "Wrong type for this field: see the endpoint's schema in /swagger.";
}
