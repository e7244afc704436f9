using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Crisp.Hooks;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>Builds and posts Crisp Plugin Hooks the way Crisp signs them (HMAC over "[timestamp;raw body]").</summary>
public static class SignedHooks
{
    public static string Body(string eventName, Guid? websiteId, JsonObject? data = null, long? timestampMs = null) => new JsonObject
    {
        ["website_id"] = websiteId?.ToString("D"),
        ["event"] = eventName,
        ["data"] = data ?? [],
        ["timestamp"] = timestampMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
    }.ToJsonString();

    /// <summary>A request to <c>/crisp/hooks</c>, signed with <paramref name="secret"/> unless a signature is given.</summary>
    public static HttpRequestMessage Request(
        string body,
        string secret = HubApplicationFactory.TestHookSecret,
        string? timestamp = null,
        string? signature = null,
        string contentType = "application/json",
        int attempt = 1)
    {
        timestamp ??= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/crisp/hooks") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Crisp-Request-Timestamp", timestamp);
        request.Headers.Add("X-Crisp-Signature", signature ?? CrispHookSignature.Compute(secret, timestamp, bytes));
        request.Headers.Add("X-Delivery-Attempt-Count", attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Delivery-Attempt-Limit", "5");
        request.Headers.UserAgent.ParseAdd("Crisp-HooksDeliver/1.0");
        return request;
    }
}
