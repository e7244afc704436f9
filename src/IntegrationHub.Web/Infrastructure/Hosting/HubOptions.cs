namespace IntegrationHub.Web.Infrastructure.Hosting;

public sealed class HubOptions
{
    public const string Section = "Hub";

    /// <summary>Where the embedded database and local key file live; relative paths are under the content root.</summary>
    public string DataDirectory { get; set; } = "App_Data";

    public BootstrapAdminOptions Bootstrap { get; set; } = new();
}

/// <summary>The first hub administrator, created at start-up when both values are set and the user does not exist.</summary>
public sealed class BootstrapAdminOptions
{
    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }

    public override string ToString() => $"AdminEmail={AdminEmail}, AdminPassword=[redacted]";
}
