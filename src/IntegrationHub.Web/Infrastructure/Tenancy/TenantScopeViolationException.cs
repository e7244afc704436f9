namespace IntegrationHub.Web.Infrastructure.Tenancy;

/// <summary>Thrown when code tries to read or write tenant-owned rows outside the current tenant's scope.</summary>
public sealed class TenantScopeViolationException : InvalidOperationException
{
    public TenantScopeViolationException(string message) : base(message)
    {
    }

    public TenantScopeViolationException()
    {
    }

    public TenantScopeViolationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
