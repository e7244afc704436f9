using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Campaigns;
using IntegrationHub.CrispSimulator.Conversations;
using IntegrationHub.CrispSimulator.Helpdesk;
using IntegrationHub.CrispSimulator.Limits;
using IntegrationHub.CrispSimulator.People;

namespace IntegrationHub.CrispSimulator.Plugin;

/// <summary>One Crisp website (workspace) known to the simulator. Mutated only under <see cref="CrispSimulatorState.Sync"/>.</summary>
public sealed class SimWebsite
{
    public required string WebsiteId { get; init; }

    public required string Name { get; set; }

    public required string Domain { get; set; }

    /// <summary>Whether the simulated plugin is installed (subscribed) on this website.</summary>
    public bool Installed { get; set; }

    /// <summary>Per-website subscription token, as in <c>/plugin/connect/websites/all</c> and the settings page query.</summary>
    public string SubscriptionToken { get; set; } = "";

    public JsonObject Settings { get; set; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Last subscription change, read by <c>/plugin/connect/websites/since</c>.</summary>
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary><c>added</c>, <c>removed</c> or <c>updated</c>: the last change, reported as <c>difference</c>.</summary>
    public string LastDifference { get; set; } = "added";

    public string PlanId { get; set; } = "8c842203-7ed8-4e29-a608-7cf78a7d2fcc";

    public string PlanName { get; set; } = "Unlimited";

    public bool PlanTrialing { get; set; }

    /// <summary>Website-tier keypair minted through the admin API, if any.</summary>
    public WebsiteToken? Token { get; set; }

    public RateBudget Budget { get; } = new();

    public List<SimPerson> People { get; } = [];

    public List<SimConversation> Conversations { get; } = [];

    public SimHelpdesk Helpdesk { get; } = new();

    public List<SimCampaign> Campaigns { get; } = [];

    public bool IsConfigured => Settings.Count > 0;
}

public sealed record WebsiteToken(string Identifier, string Key);
