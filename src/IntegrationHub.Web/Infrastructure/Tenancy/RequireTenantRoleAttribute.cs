using IntegrationHub.Web.Features.Members;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace IntegrationHub.Web.Infrastructure.Tenancy;

/// <summary>
/// Server-side role check for dashboard actions under <c>/t/{websiteId}</c>. Without resolved tenant access the
/// answer is 404 (nothing to see here); with too small a role it is 403.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequireTenantRoleAttribute(TenantRole role) : Attribute, IAuthorizationFilter, IOrderedFilter
{
    public TenantRole Role { get; } = role;

    // Method-level attributes run after class-level ones and may only tighten.
    public int Order => 0;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var access = context.HttpContext.Features.Get<TenantAccess>();
        if (access is null)
        {
            context.Result = new NotFoundResult();
            return;
        }

        if (!access.Allows(Role))
        {
            // A plain 403 with an explanation, not the cookie handler's redirect: the refusal is visible to the user
            // and to API-style clients alike.
            context.Result = new ViewResult { ViewName = "/Features/Account/AccessDenied.cshtml", StatusCode = StatusCodes.Status403Forbidden };
        }
    }
}
