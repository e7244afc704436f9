using System.Linq.Expressions;
using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Infrastructure.Data;

/// <summary>
/// The hub's one model. Provider-specific subclasses exist only so that each provider keeps its own migrations.
/// Tenant scoping is by construction: a named query filter on every tenant-owned entity, and a save-time check.
/// </summary>
public abstract class HubDbContext : IdentityDbContext<HubUser>
{
    public const string TenantFilter = "Tenant";

    private readonly TenantContext _tenant;

    protected HubDbContext(DbContextOptions options, TenantContext tenant)
        : base(options)
    {
        _tenant = tenant;
    }

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<TenantMembership> Memberships => Set<TenantMembership>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    /// <summary>Read by the query filters at query time (EF parameterises it), so one model serves every tenant.</summary>
    public Guid? CurrentTenantId => _tenant.TenantId;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(HubDbContext).Assembly, t => t.Namespace?.StartsWith("IntegrationHub.Web", StringComparison.Ordinal) == true && !t.IsAbstract);

        builder.Entity<Tenant>().HasQueryFilter(TenantFilter, t => t.Id == CurrentTenantId);
        foreach (var entityType in builder.Model.GetEntityTypes())
        {
            var clr = entityType.ClrType;
            if (clr == typeof(Tenant) || !typeof(ITenantOwned).IsAssignableFrom(clr))
            {
                continue;
            }

            builder.Entity(clr).HasQueryFilter(TenantFilter, BuildTenantFilter(clr));
        }
    }

    private LambdaExpression BuildTenantFilter(Type entityType)
    {
        // e => EF.Property<Guid>(e, "TenantId") == CurrentTenantId
        var entity = Expression.Parameter(entityType, "e");
        var tenantId = Expression.Convert(
            Expression.Call(typeof(EF), nameof(EF.Property), [typeof(Guid)], entity, Expression.Constant(nameof(ITenantOwned.TenantId))),
            typeof(Guid?));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentTenantId));
        return Expression.Lambda(Expression.Equal(tenantId, current), entity);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        EnforceTenantOnWrites();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        EnforceTenantOnWrites();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    private void EnforceTenantOnWrites()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached || entry.Entity is not ITenantOwned owned)
            {
                continue;
            }

            var current = _tenant.TenantId ?? throw new TenantScopeViolationException(
                $"Refusing to save {entry.Metadata.ClrType.Name}: no tenant context is set.");

            if (entry.State == EntityState.Added && owned.TenantId == Guid.Empty && entry.Entity is not Tenant)
            {
                entry.Property(nameof(ITenantOwned.TenantId)).CurrentValue = current;
                continue;
            }

            if (owned.TenantId != current)
            {
                throw new TenantScopeViolationException(
                    $"Refusing to save {entry.Metadata.ClrType.Name} of another tenant from tenant {current}'s scope.");
            }
        }
    }
}
