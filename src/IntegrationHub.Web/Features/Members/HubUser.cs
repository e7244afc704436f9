using Microsoft.AspNetCore.Identity;

namespace IntegrationHub.Web.Features.Members;

/// <summary>A person who signs in to the dashboard. Users are hub-wide; what they may see comes from memberships.</summary>
public sealed class HubUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}
