using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IntegrationHub.Web.Infrastructure.Data;

// Used only by `dotnet ef` (migrations and the db/ scripts). The connection strings are placeholders: the tools
// need a provider, not a server, to diff the model and to emit SQL.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHubDbContext>
{
    public SqliteHubDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteHubDbContext>().UseSqlite("Data Source=design-time.db").Options, new TenantContext());
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHubDbContext>
{
    public PostgresHubDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresHubDbContext>().UseNpgsql("Host=localhost;Database=integrationhub").Options, new TenantContext());
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerHubDbContext>
{
    public SqlServerHubDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerHubDbContext>().UseSqlServer("Server=localhost;Database=IntegrationHub;TrustServerCertificate=True").Options, new TenantContext());
}
