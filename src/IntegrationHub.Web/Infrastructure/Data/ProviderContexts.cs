using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IntegrationHub.Web.Infrastructure.Data;

// One subclass per provider so each keeps its own migrations and snapshot in this assembly (EF Core's
// "multiple providers" pattern); separate migrations projects would need the model in yet another project.

public sealed class SqliteHubDbContext(DbContextOptions<SqliteHubDbContext> options, TenantContext tenant)
    : HubDbContext(options, tenant)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset stored as text; a sortable binary form keeps queries in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresHubDbContext(DbContextOptions<PostgresHubDbContext> options, TenantContext tenant)
    : HubDbContext(options, tenant);

public sealed class SqlServerHubDbContext(DbContextOptions<SqlServerHubDbContext> options, TenantContext tenant)
    : HubDbContext(options, tenant);
