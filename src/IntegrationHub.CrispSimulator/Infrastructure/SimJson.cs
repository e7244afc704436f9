using System.Text.Encodings.Web;
using System.Text.Json;

namespace IntegrationHub.CrispSimulator.Infrastructure;

/// <summary>The one serializer configuration: snake_case names, as Crisp and the admin API speak.</summary>
public static class SimJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Hook bodies: compact JSON like Crisp's <c>JSON.stringify</c>, non-ASCII left unescaped.</summary>
    public static JsonSerializerOptions HookBody { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
