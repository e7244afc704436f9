using System.Text;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationHub.Web.Infrastructure.Data;

/// <summary>
/// One tenant row inserted unless a row with its primary key exists — in one statement that cannot fail on a
/// concurrent insert of the same key: <c>ON CONFLICT DO NOTHING</c> on PostgreSQL and SQLite, and on SQL Server an
/// <c>INSERT … SELECT … WHERE NOT EXISTS</c> whose key-range lock (<c>UPDLOCK, HOLDLOCK</c>) makes the second writer
/// wait and then find the row. A tracked Add + SaveChanges instead lost the race with a unique-key error (logged by EF
/// as an error, the work retried later). Table, columns, value conversions and parameter types come from the EF
/// model, as in <c>EventRowWriter</c>; the row bypasses SaveChanges, so the tenant check is done here.
/// </summary>
public static class InsertIfAbsent
{
    /// <summary>True when this call inserted the row, false when a row with its key was already there (left as it is).</summary>
    public static async Task<bool> InsertIfAbsentAsync<T>(this HubDbContext db, T row, CancellationToken cancellationToken)
        where T : class, ITenantOwned
    {
        var tenant = db.CurrentTenantId ?? throw new TenantScopeViolationException($"Refusing to insert {typeof(T).Name}: no tenant context is set.");
        // An unset tenant is the context's, as SaveChanges fills it in.
        if (row.TenantId != Guid.Empty && row.TenantId != tenant)
        {
            throw new TenantScopeViolationException($"Refusing to insert {typeof(T).Name} of another tenant from tenant {tenant}'s scope.");
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var properties = entity.GetProperties().Where(p => !p.IsShadowProperty()).ToList();
        var key = entity.FindPrimaryKey()!.Properties;
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);

        await using var factory = db.Database.GetDbConnection().CreateCommand();
        var parameters = new List<object>(properties.Count);
        var placeholders = new Dictionary<IProperty, string>();
        foreach (var property in properties)
        {
            var name = "p" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var value = property.Name == nameof(ITenantOwned.TenantId) ? tenant : property.GetGetter().GetClrValueUsingContainingEntity(row);
            // The type mapping applies the property's value converter (SQLite's sortable DateTimeOffset) and the provider's type.
            parameters.Add(((RelationalTypeMapping)property.GetTypeMapping()).CreateParameter(factory, sql.GenerateParameterName(name), value, property.IsNullable));
            placeholders[property] = sql.GenerateParameterNamePlaceholder(name);
        }

        var columns = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
        var values = string.Join(", ", properties.Select(p => placeholders[p]));
        var text = new StringBuilder();
        if (db.Database.IsSqlServer())
        {
            var match = string.Join(" AND ", key.Select(p => $"{sql.DelimitIdentifier(p.GetColumnName(table)!)} = {placeholders[p]}"));
            text.Append($"INSERT INTO {tableName} ({columns}) SELECT {values} WHERE NOT EXISTS (SELECT 1 FROM {tableName} WITH (UPDLOCK, HOLDLOCK) WHERE {match})");
        }
        else
        {
            text.Append($"INSERT INTO {tableName} ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING");
        }

        return await db.Database.ExecuteSqlRawAsync(text.ToString(), parameters, cancellationToken) == 1;
    }
}
