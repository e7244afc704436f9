namespace IntegrationHub.Web.Infrastructure.Crisp;

/// <summary>Whether the hub talks to the real Crisp or to its own simulator (decided once, at start-up).</summary>
public sealed record HubCrispMode(bool IsDemo)
{
    /// <summary>Where the simulator is mounted in demo mode.</summary>
    public const string SimulatorPrefix = "/crisp-sim";

    /// <summary>A host name that never resolves: requests to it are re-aimed at this server's own address.</summary>
    public const string SelfHost = "hub-self.invalid";

    public static readonly Guid DemoWebsiteId = Guid.Parse("0d3e4f5a-6b7c-4d8e-9f00-1a2b3c4d5e6f");

    public const string DemoOwnerEmail = "demo@integrationhub.local";

    public const string DemoOwnerPassword = "Demo-Password-2026";
}
