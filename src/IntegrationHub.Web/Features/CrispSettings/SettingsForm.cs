using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Web.Features.CrispSettings;

public sealed record SettingsForm
{
    [Required]
    public string WebsiteId { get; init; } = string.Empty;

    [Required]
    public string Token { get; init; } = string.Empty;

    [StringLength(200)]
    public string? DisplayName { get; init; }

    public bool EventsEnabled { get; init; } = true;

    public bool RelayEnabled { get; init; } = true;

    public bool HelpdeskEnabled { get; init; } = true;

    public bool AutoRepliesEnabled { get; init; }

    // Checked by the controller against the configured maximum (Delivery:MaxBudgetPerMinute), so the message
    // names the limit that applies; a fixed [Range] here would add a first error with a different one.
    public int RateBudgetPerMinute { get; init; } = TenantSettings.DefaultBudgetPerMinute;

    [StringLength(200)]
    public string? WebsiteTokenIdentifier { get; init; }

    [StringLength(500)]
    public string? WebsiteTokenKey { get; init; }

    public bool RemoveWebsiteToken { get; init; }

    [StringLength(500)]
    public string? IdentitySecret { get; init; }

    public bool RemoveIdentitySecret { get; init; }

    [EmailAddress, StringLength(256)]
    public string? LinkEmail { get; init; }

    [StringLength(200)]
    public string? LinkPassword { get; init; }

    // A record prints every property by default, and MVC logs action arguments (Debug/Trace): the token, the keys
    // and the password would be in the logs. Printed here without them.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"WebsiteId = {WebsiteId}, Token = [redacted], DisplayName = {DisplayName}, EventsEnabled = {EventsEnabled}, RelayEnabled = {RelayEnabled}, ")
            .Append(System.Globalization.CultureInfo.InvariantCulture,
                $"HelpdeskEnabled = {HelpdeskEnabled}, AutoRepliesEnabled = {AutoRepliesEnabled}, RateBudgetPerMinute = {RateBudgetPerMinute}, ")
            .Append(System.Globalization.CultureInfo.InvariantCulture,
                $"WebsiteTokenIdentifier = {WebsiteTokenIdentifier}, WebsiteTokenKey = {Redacted(WebsiteTokenKey)}, RemoveWebsiteToken = {RemoveWebsiteToken}, ")
            .Append(System.Globalization.CultureInfo.InvariantCulture,
                $"IdentitySecret = {Redacted(IdentitySecret)}, RemoveIdentitySecret = {RemoveIdentitySecret}, LinkEmail = {LinkEmail}, LinkPassword = {Redacted(LinkPassword)}");
        return true;
    }

    private static string Redacted(string? secret) => string.IsNullOrEmpty(secret) ? string.Empty : "[redacted]";
}

public sealed record SettingsPageModel(
    SettingsForm Form,
    string WebsiteName,
    bool HasWebsiteToken,
    bool HasIdentitySecret,
    int MaxBudgetPerMinute,
    IReadOnlyList<string> LinkedAccounts,
    string? Message,
    bool MessageIsError)
{
    /// <summary>Set once, right after an account was created for a new address: the link to choose its password.</summary>
    public string? InvitationLink { get; init; }

    public string? InvitedEmail { get; init; }
}
