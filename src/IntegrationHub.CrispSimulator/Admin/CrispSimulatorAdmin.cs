using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Campaigns;
using IntegrationHub.CrispSimulator.Conversations;
using IntegrationHub.CrispSimulator.Helpdesk;
using IntegrationHub.CrispSimulator.Infrastructure;
using IntegrationHub.CrispSimulator.People;
using IntegrationHub.CrispSimulator.Plugin;

namespace IntegrationHub.CrispSimulator.Admin;

/// <summary>
/// "Crisp side" actions, callable in-process (e.g. to seed the hub's demo) and behind the <c>/_sim</c> admin API.
/// Each call is atomic and emits the hooks Crisp would. Refusals raise <see cref="CrispApiException"/>.
/// </summary>
public sealed class CrispSimulatorAdmin(CrispSimulatorState state)
{
    /// <summary>
    /// Installs the plugin on a website, creating the website if new. Generates the subscription token and emits
    /// <c>plugin:subscription:updated</c> bound=true. 409 <c>website_exists</c> when already installed.
    /// </summary>
    public InstalledWebsite InstallWebsite(
        string? websiteId, string name, string domain, JsonObject? settings = null, string? locale = null,
        string? planId = null, string? planName = null, bool? planTrialing = null)
    {
        websiteId ??= Guid.NewGuid().ToString();
        if (!Guid.TryParse(websiteId, out _))
        {
            throw CrispApiException.InvalidData("'website_id' must be a UUID.");
        }

        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(domain))
        {
            throw CrispApiException.InvalidData("'name' and 'domain' are required.");
        }

        lock (state.Sync)
        {
            var website = state.FindWebsite(websiteId);
            if (website is { Installed: true })
            {
                throw CrispApiException.Conflict("website_exists", "The plugin is already installed on this website.");
            }

            if (website is null)
            {
                website = new SimWebsite { WebsiteId = websiteId, Name = name, Domain = domain, CreatedAt = state.Now };
                website.Budget.RequestsPerMinute = state.Options.DefaultRequestsPerMinute;
                var basic = new string([.. name.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Select(char.ToLowerInvariant)]);
                HelpdeskEndpoints.Initialize(state, website, name, basic.Length == 0 ? "sim" : basic, locale ?? state.Options.DefaultHelpdeskLocale);
                state.AddWebsite(website);
            }

            website.Name = name;
            website.Domain = domain;
            website.Installed = true;
            website.SubscriptionToken = CrispSimulatorState.NewToken();
            website.Settings = (JsonObject?)settings?.DeepClone() ?? [];
            website.PlanId = planId ?? website.PlanId;
            website.PlanName = planName ?? website.PlanName;
            website.PlanTrialing = planTrialing ?? website.PlanTrialing;
            website.ChangedAt = state.Now;
            website.LastDifference = "added";
            state.EmitHook(website.WebsiteId, "plugin:subscription:updated", new JsonObject
            {
                ["website_id"] = website.WebsiteId,
                ["plugin_id"] = state.Options.PluginId,
                ["bound"] = true,
            });
            return new InstalledWebsite(website.WebsiteId, website.SubscriptionToken);
        }
    }

    /// <summary>Uninstalls (data is kept); emits <c>plugin:subscription:updated</c> bound=false.</summary>
    public void UninstallWebsite(string websiteId)
    {
        lock (state.Sync)
        {
            var website = Website(websiteId);
            if (!website.Installed)
            {
                throw CrispApiException.NotFound("not_subscribed");
            }

            website.Installed = false;
            website.ChangedAt = state.Now;
            website.LastDifference = "removed";
            state.EmitHook(website.WebsiteId, "plugin:subscription:updated", new JsonObject
            {
                ["website_id"] = website.WebsiteId,
                ["plugin_id"] = state.Options.PluginId,
                ["bound"] = false,
            });
        }
    }

    /// <summary>The Crisp dashboard saves the plugin settings (replace); emits <c>plugin:settings:saved</c>.</summary>
    public void SaveSettings(string websiteId, JsonObject settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (state.Sync)
        {
            var website = Website(websiteId);
            website.Settings = (JsonObject)settings.DeepClone();
            website.ChangedAt = state.Now;
            website.LastDifference = "updated";
            state.EmitHook(website.WebsiteId, "plugin:settings:saved", new JsonObject
            {
                ["website_id"] = website.WebsiteId,
                ["plugin_id"] = state.Options.PluginId,
                ["settings"] = settings.DeepClone(),
            });
        }
    }

    /// <summary>Mints (or re-mints) the website-tier keypair, used with <c>X-Crisp-Tier: website</c>.</summary>
    public WebsiteToken MintWebsiteToken(string websiteId)
    {
        lock (state.Sync)
        {
            var website = Website(websiteId);
            website.Token = new WebsiteToken(Guid.NewGuid().ToString(), CrispSimulatorState.NewToken());
            return website.Token;
        }
    }

    /// <summary>A visitor writes: creates the conversation if needed, sets email/nickname, emits <c>message:send</c>.</summary>
    public VisitorMessageResult SendVisitorMessage(string websiteId, string content, string? sessionId = null, string? email = null, string? nickname = null)
    {
        if (string.IsNullOrEmpty(content))
        {
            throw CrispApiException.InvalidData("'content' is required.");
        }

        if (sessionId is not null && !sessionId.StartsWith("session_", StringComparison.Ordinal))
        {
            throw CrispApiException.InvalidData("'session_id' must start with session_.");
        }

        if (!string.IsNullOrEmpty(email))
        {
            PeopleEndpoints.ValidEmail(email);
        }

        lock (state.Sync)
        {
            var website = Website(websiteId);
            var conversation = (sessionId is null ? null : ConversationOps.Find(website, sessionId))
                ?? ConversationOps.Create(state, website, sessionId);
            if (!string.IsNullOrEmpty(email))
            {
                ConversationOps.SetEmail(website, conversation, email);
            }

            if (!string.IsNullOrEmpty(nickname))
            {
                conversation.Meta.Nickname = nickname;
            }

            var user = new JsonObject { ["user_id"] = conversation.SessionId, ["nickname"] = conversation.Meta.Nickname };
            var message = ConversationOps.AddMessage(state, website, conversation, "text", "user", "chat", JsonValue.Create(content), user);
            return new VisitorMessageResult(conversation.SessionId, message.Fingerprint);
        }
    }

    /// <summary>An operator changes the conversation state in the Crisp app; emits <c>session:set_state</c>.</summary>
    public void SetConversationState(string websiteId, string sessionId, string newState)
    {
        lock (state.Sync)
        {
            var website = Website(websiteId);
            var conversation = ConversationOps.Find(website, sessionId) ?? throw CrispApiException.NotFound("session_not_found");
            ConversationOps.SetState(state, website, conversation, newState);
        }
    }

    /// <summary>Seeds a campaign and answers its id.</summary>
    public string SeedCampaign(string websiteId, string name, string? type = null, string? subject = null, string? message = null, string? tag = null, int targets = 0)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw CrispApiException.InvalidData("'name' is required.");
        }

        lock (state.Sync)
        {
            var website = Website(websiteId);
            var now = state.NowMs;
            var campaign = new SimCampaign
            {
                CampaignId = Guid.NewGuid().ToString(),
                Name = name,
                Type = type ?? "one-shot",
                Subject = subject ?? "",
                Message = message ?? "",
                Tag = tag,
                Targets = Math.Max(0, targets),
                CreatedAt = now,
                UpdatedAt = now,
            };
            website.Campaigns.Add(campaign);
            return campaign.CampaignId;
        }
    }

    private SimWebsite Website(string websiteId) => state.FindWebsite(websiteId) ?? throw CrispApiException.NotFound("website_not_found");
}

public sealed record InstalledWebsite(string WebsiteId, string SubscriptionToken);

public sealed record VisitorMessageResult(string SessionId, long Fingerprint);
