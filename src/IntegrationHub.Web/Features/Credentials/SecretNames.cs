namespace IntegrationHub.Web.Features.Credentials;

/// <summary>Names of the per-tenant secrets; the name is bound into each ciphertext.</summary>
public static class SecretNames
{
    /// <summary>Crisp's plugin subscription token of the website (what the settings page checks).</summary>
    public const string SubscriptionToken = "crisp.subscription_token";

    /// <summary>An optional website-tier Crisp token the website's admin gave the hub (JSON identifier + key).</summary>
    public const string WebsiteToken = "crisp.website_token";

    /// <summary>Crisp's identity-verification secret of the website (signs user emails for the chatbox).</summary>
    public const string IdentityVerificationSecret = "crisp.identity_secret";
}
