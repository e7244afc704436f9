using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.CrispSimulator.Tests.Support;

/// <summary>Thin HTTP helper: sends JSON (or raw text) and parses the Crisp envelope.</summary>
public sealed class SimClient(HttpClient http) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public HttpClient Http => http;

    public Task<SimResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<SimResponse> SendAsync(HttpMethod method, string path, object? body = null) =>
        SendRawAsync(method, path, body is null ? null : body as string ?? JsonSerializer.Serialize(body, Json));

    public async Task<SimResponse> SendRawAsync(HttpMethod method, string path, string? rawBody)
    {
        using var request = new HttpRequestMessage(method, path);
        if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? envelope = null;
        if (text.Length > 0)
        {
            envelope = JsonNode.Parse(text);
        }

        return new SimResponse(
            (int)response.StatusCode, envelope, text, response.Headers.RetryAfter?.Delta, response.StatusCode);
    }

    public void Dispose() => http.Dispose();
}

public sealed record SimResponse(int Status, JsonNode? Envelope, string Text, TimeSpan? RetryAfter, HttpStatusCode Code)
{
    public string? Reason => Envelope?["reason"]?.GetValue<string>();

    public bool? Error => Envelope?["error"]?.GetValue<bool>();

    public JsonNode? Data => Envelope?["data"];

    public JsonArray DataArray => Data as JsonArray ?? throw new InvalidOperationException($"data is not an array: {Text}");

    public override string ToString() => $"{Status} {Text}";
}
