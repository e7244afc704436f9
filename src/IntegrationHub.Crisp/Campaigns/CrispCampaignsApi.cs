namespace IntegrationHub.Crisp;

/// <summary>Campaign routes under <c>/website/{website_id}</c>.</summary>
public sealed class CrispCampaignsApi
{
    private readonly CrispClient _client;

    internal CrispCampaignsApi(CrispClient client) => _client = client;

    /// <summary><c>GET /campaigns/list/{page}</c>.</summary>
    public Task<IReadOnlyList<CrispCampaign>> ListAsync(string websiteId, int page, CancellationToken cancellationToken = default) =>
        _client.SendAsync<IReadOnlyList<CrispCampaign>>(HttpMethod.Get, CrispPath.Website(websiteId).Literal("campaigns/list").Page(page), null, cancellationToken);

    /// <summary><c>GET /campaign/{campaign_id}</c>.</summary>
    public Task<CrispCampaign> GetAsync(string websiteId, string campaignId, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispCampaign>(HttpMethod.Get, Campaign(websiteId, campaignId), null, cancellationToken);

    /// <summary><c>POST /campaign/{campaign_id}/dispatch</c>: starts sending the campaign.</summary>
    public Task DispatchAsync(string websiteId, string campaignId, CancellationToken cancellationToken = default) =>
        _client.SendAsync(HttpMethod.Post, Campaign(websiteId, campaignId).Literal("dispatch"), null, cancellationToken);

    private static CrispPath Campaign(string websiteId, string campaignId) =>
        CrispPath.Website(websiteId).Literal("campaign").Segment(campaignId, nameof(campaignId));
}
