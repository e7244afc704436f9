using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Infrastructure;

namespace IntegrationHub.CrispSimulator.Plugin;

/// <summary>Plugin connect routes and per-website subscription settings.</summary>
public static class PluginEndpoints
{
    public static void Map(CrispRoutes routes)
    {
        routes.Get("/plugin/connect/account", CrispRoutes.PluginTier, call => CrispResult.Resolved(new JsonObject { ["plugin_id"] = call.Options.PluginId }));
        routes.Map("/plugin/connect/session", [HttpMethods.Head], CrispRoutes.PluginTier, _ => CrispResult.Resolved(null));
        routes.Get("/plugin/connect/endpoints", CrispRoutes.PluginTier, EndpointsInfo);
        routes.Get("/plugin/connect/websites/all/{page}", CrispRoutes.PluginTier, ListAll);
        routes.Get("/plugin/connect/websites/since", CrispRoutes.PluginTier, ListSince);

        routes.Get("/plugins/subscription/{website_id}/{plugin_id}/settings", CrispRoutes.PluginTier, GetSettings);
        routes.Put("/plugins/subscription/{website_id}/{plugin_id}/settings", CrispRoutes.PluginTier, SaveSettings);
        routes.Patch("/plugins/subscription/{website_id}/{plugin_id}/settings", CrispRoutes.PluginTier, UpdateSettings);

        // Subscribe / unsubscribe / subscription listing are user-tier routes: plugin tokens get restricted_route_tier.
        routes.Get("/plugins/subscription", CrispRoutes.UserTier, _ => throw CrispApiException.NotFound());
        routes.Post("/plugins/subscription/{website_id}", CrispRoutes.UserTier, _ => throw CrispApiException.NotFound());
        routes.Get("/plugins/subscription/{website_id}", CrispRoutes.UserTier, _ => throw CrispApiException.NotFound());
        routes.Get("/plugins/subscription/{website_id}/{plugin_id}", CrispRoutes.UserTier, _ => throw CrispApiException.NotFound());
        routes.Delete("/plugins/subscription/{website_id}/{plugin_id}", CrispRoutes.UserTier, _ => throw CrispApiException.NotFound());
    }

    private static CrispResult EndpointsInfo(CrispCall call) =>
        CrispResult.Resolved(new JsonObject
        {
            ["socket"] = new JsonObject { ["app"] = "wss://simulator.invalid/" },
            ["rescue"] = new JsonObject { ["socket"] = new JsonObject { ["app"] = "wss://simulator.invalid/" } },
        });

    private static CrispResult ListAll(CrispCall call)
    {
        var filterConfigured = call.QueryFlag("filter_configured");
        var includePlan = call.QueryFlag("include_plan");
        // Creation order: stable while a client pages, even if settings change meanwhile.
        var websites = call.State.Websites.Where(w => w.Installed && (!filterConfigured || w.IsConfigured));
        return CrispResult.Listed(call.Paginate(websites).Select(w => ConnectItem(w, includePlan, null)));
    }

    /// <summary>Installs, removals and settings changes after <c>date_since</c>, each with its <c>difference</c>.</summary>
    private static CrispResult ListSince(CrispCall call)
    {
        var since = call.QueryDate("date_since") ?? throw CrispApiException.InvalidData("'date_since' is required.");
        var filterConfigured = call.QueryFlag("filter_configured");
        var includePlan = call.QueryFlag("include_plan");
        var websites = call.State.Websites
            .Where(w => w.ChangedAt > since && (!filterConfigured || w.IsConfigured || !w.Installed))
            .OrderBy(w => w.ChangedAt)
            .Select(w => ConnectItem(w, includePlan, w.LastDifference));
        return CrispResult.Listed(websites);
    }

    private static JsonObject ConnectItem(SimWebsite website, bool includePlan, string? difference)
    {
        var item = new JsonObject
        {
            ["website_id"] = website.WebsiteId,
            ["token"] = website.SubscriptionToken,
            ["settings"] = website.Settings.DeepClone(),
        };
        if (includePlan)
        {
            item["plan"] = new JsonObject { ["id"] = website.PlanId, ["name"] = website.PlanName, ["trialing"] = website.PlanTrialing };
        }

        if (difference is not null)
        {
            item["difference"] = difference;
        }

        return item;
    }

    private static SimWebsite SubscribedWebsite(CrispCall call)
    {
        if (!string.Equals(call.Route("plugin_id"), call.Options.PluginId, StringComparison.OrdinalIgnoreCase))
        {
            throw CrispApiException.NotFound("not_subscribed");
        }

        return call.Website;
    }

    private static CrispResult GetSettings(CrispCall call)
    {
        var website = SubscribedWebsite(call);
        return CrispResult.Resolved(new JsonObject
        {
            ["plugin_id"] = call.Options.PluginId,
            ["website_id"] = website.WebsiteId,
            ["token"] = website.SubscriptionToken,
            ["schema"] = new JsonObject
            {
                ["$id"] = $"crisp:service:api/_schema/plugin#{call.Options.PluginUrn}",
                ["type"] = "object",
            },
            ["settings"] = website.Settings.DeepClone(),
            ["settings_form_url"] = call.Options.SettingsFormUrl,
            ["callback_url"] = call.Options.CallbackUrl,
        });
    }

    /// <summary>PUT: the body is the whole new settings object (replace).</summary>
    private static CrispResult SaveSettings(CrispCall call)
    {
        var website = SubscribedWebsite(call);
        website.Settings = (JsonObject)call.BodyObject.DeepClone();
        Touch(call, website);
        return CrispResult.Updated();
    }

    /// <summary>PATCH: top-level keys of the body replace the stored keys; others are kept (shallow merge).</summary>
    private static CrispResult UpdateSettings(CrispCall call)
    {
        var website = SubscribedWebsite(call);
        foreach (var (key, value) in call.BodyObject)
        {
            website.Settings[key] = value?.DeepClone();
        }

        Touch(call, website);
        return CrispResult.Updated();
    }

    private static void Touch(CrispCall call, SimWebsite website)
    {
        website.ChangedAt = call.State.Now;
        website.LastDifference = "updated";
    }
}
