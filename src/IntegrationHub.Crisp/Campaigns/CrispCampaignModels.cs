using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.Crisp;

/// <summary>A campaign as listed or resolved. Fields the hub does not use are kept in <see cref="Extra"/>.</summary>
public sealed record CrispCampaign
{
    public required string CampaignId { get; init; }

    public string? Type { get; init; }

    public string? Format { get; init; }

    public string? Name { get; init; }

    public string? Subject { get; init; }

    public bool? Ready { get; init; }

    public bool? Dispatched { get; init; }

    public bool? Running { get; init; }

    /// <summary>Epoch milliseconds.</summary>
    public long? CreatedAt { get; init; }

    /// <summary>Epoch milliseconds.</summary>
    public long? UpdatedAt { get; init; }

    /// <summary>Epoch milliseconds.</summary>
    public long? DispatchedAt { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}
