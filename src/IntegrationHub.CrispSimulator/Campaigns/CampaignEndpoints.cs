using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Infrastructure;

namespace IntegrationHub.CrispSimulator.Campaigns;

/// <summary>Campaign list, get and dispatch (campaigns are seeded through the admin API).</summary>
public static class CampaignEndpoints
{
    private const string Base = "/website/{website_id}";

    public static void Map(CrispRoutes routes)
    {
        var tiers = CrispRoutes.WebsiteRoutes;
        routes.Get(Base + "/campaigns/list/{page}", tiers, call => CrispResult.Listed(call.Paginate(call.Website.Campaigns).Select(ToJson)));
        routes.GetAndHead(Base + "/campaign/{campaign_id}", tiers, call => CrispResult.Resolved(ToJson(Find(call))));
        routes.Post(Base + "/campaign/{campaign_id}/dispatch", tiers, Dispatch);
    }

    public static SimCampaign Find(CrispCall call)
    {
        var id = call.Route("campaign_id");
        return call.Website.Campaigns.Find(c => string.Equals(c.CampaignId, id, StringComparison.OrdinalIgnoreCase))
            ?? throw CrispApiException.NotFound("campaign_not_found");
    }

    public static JsonObject ToJson(SimCampaign campaign) => new()
    {
        ["campaign_id"] = campaign.CampaignId,
        ["type"] = campaign.Type,
        ["format"] = campaign.Format,
        ["name"] = campaign.Name,
        ["subject"] = campaign.Subject,
        ["tag"] = campaign.Tag,
        ["message"] = campaign.Message,
        ["ready"] = campaign.Ready,
        ["dispatched"] = campaign.Dispatched,
        ["running"] = campaign.Running,
        ["progress"] = campaign.Dispatched ? 100 : 0,
        ["targets"] = campaign.Targets,
        ["reached"] = campaign.Reached,
        ["created_at"] = campaign.CreatedAt,
        ["updated_at"] = campaign.UpdatedAt,
        ["dispatched_at"] = campaign.DispatchedAt,
    };

    /// <summary>No body. Records a <see cref="CampaignDispatch"/> and answers 202 <c>dispatched</c>.</summary>
    private static CrispResult Dispatch(CrispCall call)
    {
        _ = call.Body;
        var campaign = Find(call);
        var now = call.State.NowMs;
        campaign.Dispatched = true;
        campaign.DispatchedAt = now;
        campaign.UpdatedAt = now;
        call.State.RecordDispatch(new CampaignDispatch(call.Website.WebsiteId, campaign.CampaignId, call.State.Now, call.Tier ?? ""));
        return CrispResult.Dispatched(null);
    }
}
