using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Campaigns;
using IntegrationHub.CrispSimulator.Conversations;
using IntegrationHub.CrispSimulator.Infrastructure;
using IntegrationHub.CrispSimulator.Plugin;

namespace IntegrationHub.CrispSimulator.Admin;

/// <summary>
/// The simulator's control surface under <c>{prefix}/_sim</c> (no auth, snake_case JSON, same envelope as the
/// REST API). See README.md for the table.
/// </summary>
public static class AdminEndpoints
{
    public static void Map(AdminRoutes routes)
    {
        routes.Map(HttpMethods.Get, "/websites", call => CrispResult.Listed(call.State.Websites.Select(WebsiteJson)));
        routes.Map(HttpMethods.Post, "/websites", Install);
        routes.Map(HttpMethods.Get, "/websites/{website_id}", call => CrispResult.Resolved(WebsiteJson(Website(call))));
        routes.Map(HttpMethods.Delete, "/websites/{website_id}", Uninstall);
        routes.Map(HttpMethods.Put, "/websites/{website_id}/settings", SaveSettings);
        routes.Map(HttpMethods.Post, "/websites/{website_id}/website-token", MintWebsiteToken);
        routes.Map(HttpMethods.Put, "/websites/{website_id}/limits", SetLimits);
        routes.Map(HttpMethods.Post, "/websites/{website_id}/visitor-message", VisitorMessage);
        routes.Map(HttpMethods.Post, "/websites/{website_id}/conversations/{session_id}/state", ChangeState);
        routes.Map(HttpMethods.Post, "/websites/{website_id}/campaigns", SeedCampaign);
        routes.Map(HttpMethods.Get, "/dispatches", call => CrispResult.Listed(call.State.Dispatches.Select(d => new JsonObject
        {
            ["website_id"] = d.WebsiteId,
            ["campaign_id"] = d.CampaignId,
            ["at"] = d.At.ToUnixTimeMilliseconds(),
            ["tier"] = d.Tier,
        })));

        routes.Map(HttpMethods.Get, "/quota", call => CrispResult.Resolved(QuotaJson(call)));
        routes.Map(HttpMethods.Put, "/quota", SetQuota);
        routes.Map(HttpMethods.Get, "/faults", call => CrispResult.Resolved(FaultsJson(call)));
        routes.Map(HttpMethods.Put, "/faults", SetFaults);
        routes.Map(HttpMethods.Get, "/hooks/target", call => CrispResult.Resolved(HookTargetJson(call)));
        routes.Map(HttpMethods.Put, "/hooks/target", SetHookTarget);
        routes.Map(HttpMethods.Get, "/hooks", call => CrispResult.Listed(call.State.GetHooks(call.Query("website_id"), call.Query("event"))));
        routes.Map(HttpMethods.Delete, "/hooks", call =>
        {
            call.State.ClearHooks();
            return CrispResult.Deleted();
        });
        routes.Map(HttpMethods.Get, "/journal", call => CrispResult.Listed(call.State.GetJournal(call.Query("website_id"))));
        routes.Map(HttpMethods.Delete, "/journal", call =>
        {
            call.State.ClearJournal();
            return CrispResult.Deleted();
        });
        routes.Map(HttpMethods.Post, "/reset", call =>
        {
            call.State.Reset();
            return CrispResult.Updated();
        });
    }

    private static SimWebsite Website(CrispCall call) => call.WebsiteOrNull ?? throw CrispApiException.NotFound("website_not_found");

    public static JsonObject WebsiteJson(SimWebsite website) => new()
    {
        ["website_id"] = website.WebsiteId,
        ["name"] = website.Name,
        ["domain"] = website.Domain,
        ["installed"] = website.Installed,
        ["token"] = website.SubscriptionToken,
        ["settings"] = website.Settings.DeepClone(),
        ["plan"] = new JsonObject { ["id"] = website.PlanId, ["name"] = website.PlanName, ["trialing"] = website.PlanTrialing },
        ["website_token"] = website.Token is null ? null : new JsonObject { ["identifier"] = website.Token.Identifier, ["key"] = website.Token.Key },
        ["limits"] = new JsonObject
        {
            ["requests_per_minute"] = website.Budget.RequestsPerMinute,
            ["status"] = website.Budget.Status,
            ["retry_after_seconds"] = website.Budget.RetryAfterSeconds,
        },
        ["people"] = website.People.Count,
        ["conversations"] = website.Conversations.Count,
        ["campaigns"] = website.Campaigns.Count,
        ["changed_at"] = website.ChangedAt.ToUnixTimeMilliseconds(),
    };

    private static CrispSimulatorAdmin Commands(CrispCall call) => new(call.State);

    /// <summary><c>{website_id?, name, domain, settings?, plan?{id,name,trialing}, locale?}</c>: see <see cref="CrispSimulatorAdmin.InstallWebsite"/>.</summary>
    private static CrispResult Install(CrispCall call)
    {
        var body = call.BodyObject;
        var websiteId = JsonBody.OptString(body, "website_id");
        var name = JsonBody.RequireString(body, "name");
        var domain = JsonBody.RequireString(body, "domain");
        var settings = JsonBody.OptObject(body, "settings");
        var plan = JsonBody.OptObject(body, "plan");
        var locale = JsonBody.OptString(body, "locale");
        var installed = Commands(call).InstallWebsite(
            websiteId, name, domain, settings, locale,
            plan is null ? null : JsonBody.OptString(plan, "id"),
            plan is null ? null : JsonBody.OptString(plan, "name"),
            plan is null ? null : JsonBody.OptBool(plan, "trialing"));
        return CrispResult.Added(WebsiteJson(call.State.FindWebsite(installed.WebsiteId)!));
    }

    private static CrispResult Uninstall(CrispCall call)
    {
        Commands(call).UninstallWebsite(Website(call).WebsiteId);
        return CrispResult.Deleted();
    }

    /// <summary><c>{settings:{…}}</c>: the Crisp dashboard saving the plugin settings; emits <c>plugin:settings:saved</c>.</summary>
    private static CrispResult SaveSettings(CrispCall call)
    {
        var website = Website(call);
        var settings = JsonBody.OptObject(call.BodyObject, "settings") ?? throw CrispApiException.InvalidData("'settings' is required.");
        Commands(call).SaveSettings(website.WebsiteId, settings);
        return CrispResult.Updated(WebsiteJson(website));
    }

    /// <summary>Mints (or re-mints) the website-tier keypair: <c>{identifier, key}</c>.</summary>
    private static CrispResult MintWebsiteToken(CrispCall call)
    {
        var token = Commands(call).MintWebsiteToken(Website(call).WebsiteId);
        return CrispResult.Added(new JsonObject { ["identifier"] = token.Identifier, ["key"] = token.Key });
    }

    /// <summary><c>{requests_per_minute, status?: 429|420, retry_after_seconds?}</c>; 0 = unlimited. Resets the window.</summary>
    private static CrispResult SetLimits(CrispCall call)
    {
        var website = Website(call);
        var body = call.BodyObject;
        var perMinute = JsonBody.OptInteger(body, "requests_per_minute");
        var status = JsonBody.OptInteger(body, "status");
        if (perMinute is < 0 or > int.MaxValue)
        {
            throw CrispApiException.InvalidData("'requests_per_minute' must be >= 0.");
        }

        if (status is not (null or 429 or 420))
        {
            throw CrispApiException.InvalidData("'status' must be 429 or 420.");
        }

        website.Budget.RequestsPerMinute = (int)(perMinute ?? website.Budget.RequestsPerMinute);
        website.Budget.Status = (int)(status ?? website.Budget.Status);
        website.Budget.RetryAfterSeconds = RetryAfter(body, website.Budget.RetryAfterSeconds);
        website.Budget.Count = 0;
        website.Budget.WindowStart = call.State.Now;
        return CrispResult.Updated(WebsiteJson(website));
    }

    private static int? RetryAfter(JsonObject body, int? current)
    {
        if (!body.ContainsKey("retry_after_seconds"))
        {
            return current;
        }

        var value = JsonBody.OptInteger(body, "retry_after_seconds");
        return value is null ? null : value is >= 0 and <= 86_400 ? (int)value : throw CrispApiException.InvalidData("'retry_after_seconds' must be 0..86400.");
    }

    /// <summary><c>{session_id?, email?, nickname?, content}</c>: a visitor writes; emits <c>message:send</c>.</summary>
    private static CrispResult VisitorMessage(CrispCall call)
    {
        var website = Website(call);
        var body = call.BodyObject;
        var result = Commands(call).SendVisitorMessage(
            website.WebsiteId,
            JsonBody.RequireString(body, "content"),
            JsonBody.OptString(body, "session_id"),
            JsonBody.OptString(body, "email"),
            JsonBody.OptString(body, "nickname"));
        return CrispResult.Added(new JsonObject { ["session_id"] = result.SessionId, ["fingerprint"] = result.Fingerprint });
    }

    /// <summary><c>{state}</c>: an operator changes the state in the Crisp app; emits <c>session:set_state</c>.</summary>
    private static CrispResult ChangeState(CrispCall call)
    {
        var website = Website(call);
        var sessionId = call.Route("session_id");
        Commands(call).SetConversationState(website.WebsiteId, sessionId, JsonBody.RequireString(call.BodyObject, "state"));
        return CrispResult.Updated(ConversationEndpoints.ToJson(ConversationOps.Find(website, sessionId)!));
    }

    /// <summary><c>{name, type?, subject?, message?, tag?, targets?}</c> → the campaign.</summary>
    private static CrispResult SeedCampaign(CrispCall call)
    {
        var website = Website(call);
        var body = call.BodyObject;
        var campaignId = Commands(call).SeedCampaign(
            website.WebsiteId,
            JsonBody.RequireString(body, "name"),
            JsonBody.OptString(body, "type"),
            JsonBody.OptString(body, "subject"),
            JsonBody.OptString(body, "message"),
            JsonBody.OptString(body, "tag"),
            (int)Math.Clamp(JsonBody.OptInteger(body, "targets") ?? 0, 0, int.MaxValue));
        return CrispResult.Added(CampaignEndpoints.ToJson(website.Campaigns.Single(c => c.CampaignId == campaignId)));
    }

    private static JsonObject QuotaJson(CrispCall call)
    {
        var quota = call.State.Quota;
        quota.Roll(call.State.Now);
        return new JsonObject
        {
            ["daily_limit"] = quota.DailyLimit,
            ["used"] = quota.Used,
            ["status"] = quota.Status,
            ["retry_after_seconds"] = quota.RetryAfterSeconds,
            ["day"] = quota.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary><c>{daily_limit?, used?, status?: 429|420|423, retry_after_seconds?}</c>; daily_limit 0 = unlimited. Crisp's
    /// reference lists <c>quota_limit_exceeded</c> under 423, its rate-limit guide says 429 or 420 (which one: UNVERIFIED).</summary>
    private static CrispResult SetQuota(CrispCall call)
    {
        var body = call.BodyObject;
        var quota = call.State.Quota;
        quota.Roll(call.State.Now);
        var limit = JsonBody.OptInteger(body, "daily_limit");
        var used = JsonBody.OptInteger(body, "used");
        var status = JsonBody.OptInteger(body, "status");
        if (limit is < 0 or > int.MaxValue || used is < 0 or > int.MaxValue)
        {
            throw CrispApiException.InvalidData("'daily_limit' and 'used' must be >= 0.");
        }

        if (status is not (null or 429 or 420 or 423))
        {
            throw CrispApiException.InvalidData("'status' must be 429, 420 or 423.");
        }

        quota.DailyLimit = (int)(limit ?? quota.DailyLimit);
        quota.Used = (int)(used ?? quota.Used);
        quota.Status = (int)(status ?? quota.Status);
        quota.RetryAfterSeconds = RetryAfter(body, quota.RetryAfterSeconds);
        return CrispResult.Updated(QuotaJson(call));
    }

    private static JsonObject FaultsJson(CrispCall call)
    {
        var faults = call.State.Faults;
        return new JsonObject
        {
            ["error_rate"] = faults.ErrorRate,
            ["error_status"] = faults.ErrorStatus,
            ["latency_ms"] = faults.LatencyMs,
            ["drop_rate"] = faults.DropRate,
            ["website_id"] = faults.WebsiteId,
        };
    }

    /// <summary><c>{error_rate?, error_status?, latency_ms?, drop_rate?, website_id?}</c>: fields present replace the current values.</summary>
    private static CrispResult SetFaults(CrispCall call)
    {
        var body = call.BodyObject;
        var faults = call.State.Faults;
        var errorRate = JsonBody.OptNumber(body, "error_rate");
        var dropRate = JsonBody.OptNumber(body, "drop_rate");
        var errorStatus = JsonBody.OptInteger(body, "error_status");
        var latency = JsonBody.OptInteger(body, "latency_ms");
        if (errorRate is < 0 or > 1 || dropRate is < 0 or > 1)
        {
            throw CrispApiException.InvalidData("Rates must be between 0 and 1.");
        }

        if (errorStatus is not null and not (>= 500 and <= 599))
        {
            throw CrispApiException.InvalidData("'error_status' must be a 5xx status.");
        }

        if (latency is < 0 or > 120_000)
        {
            throw CrispApiException.InvalidData("'latency_ms' must be 0..120000.");
        }

        faults.ErrorRate = errorRate ?? faults.ErrorRate;
        faults.DropRate = dropRate ?? faults.DropRate;
        faults.ErrorStatus = (int)(errorStatus ?? faults.ErrorStatus);
        faults.LatencyMs = (int)(latency ?? faults.LatencyMs);
        if (body.ContainsKey("website_id"))
        {
            faults.WebsiteId = JsonBody.OptString(body, "website_id");
        }

        return CrispResult.Updated(FaultsJson(call));
    }

    private static JsonObject HookTargetJson(CrispCall call)
    {
        var settings = call.State.HookSettings;
        return new JsonObject
        {
            ["url"] = settings.Url,
            ["attempt_limit"] = settings.AttemptLimit,
            ["backoff_base_ms"] = (long)settings.BackoffBase.TotalMilliseconds,
            ["timeout_ms"] = (long)settings.Timeout.TotalMilliseconds,
        };
    }

    /// <summary><c>{url?, secret?, attempt_limit?, backoff_base_ms?, timeout_ms?}</c>; applies to hooks emitted afterwards.</summary>
    private static CrispResult SetHookTarget(CrispCall call)
    {
        var body = call.BodyObject;
        var settings = call.State.HookSettings;
        var url = JsonBody.OptString(body, "url");
        if (!string.IsNullOrEmpty(url) && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            throw CrispApiException.InvalidData("'url' must be an absolute http(s) URL.");
        }

        var secret = JsonBody.OptString(body, "secret");
        var limit = JsonBody.OptInteger(body, "attempt_limit");
        var backoff = JsonBody.OptInteger(body, "backoff_base_ms");
        var timeout = JsonBody.OptInteger(body, "timeout_ms");
        if (limit is < 1 or > 100 || backoff is < 0 or > 3_600_000 || timeout is < 1 or > 600_000 || secret is { Length: 0 })
        {
            throw CrispApiException.InvalidData("attempt_limit 1..100, backoff_base_ms 0..3600000, timeout_ms 1..600000, secret non-empty.");
        }

        if (body.ContainsKey("url"))
        {
            settings.Url = url ?? "";
        }

        settings.Secret = secret ?? settings.Secret;
        settings.AttemptLimit = (int)(limit ?? settings.AttemptLimit);
        settings.BackoffBase = backoff is { } b ? TimeSpan.FromMilliseconds(b) : settings.BackoffBase;
        settings.Timeout = timeout is { } t ? TimeSpan.FromMilliseconds(t) : settings.Timeout;
        return CrispResult.Updated(HookTargetJson(call));
    }
}
