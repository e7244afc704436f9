using System.Data.Common;
using System.Text;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationHub.Web.Features.Events;

/// <summary>
/// Inserts accepted events with multi-row INSERT statements on the context's connection and transaction instead of
/// one tracked entity and one statement per row: the ingest writer's hot path. Table, columns, value conversions and
/// parameter types all come from the EF model, so it stays provider-neutral and in step with migrations. These rows
/// bypass SaveChanges, so the save-time tenant check is done here, explicitly, against the context's tenant.
/// </summary>
internal static class EventRowWriter
{
    // SQLite looks a named parameter up by a linear scan, so very wide statements cost O(n²): keep them narrow there.
    private const int RowsPerStatement = 500;
    private const int RowsPerSqliteStatement = 32;

    public static async Task InsertAsync(HubDbContext db, IReadOnlyList<ProductEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var tenant = db.CurrentTenantId ?? throw new TenantScopeViolationException("Refusing to insert events: no tenant context is set.");
        foreach (var e in events)
        {
            if (e.TenantId != tenant)
            {
                throw new TenantScopeViolationException($"Refusing to insert an event of another tenant from tenant {tenant}'s scope.");
            }
        }

        var entity = db.Model.FindEntityType(typeof(ProductEvent))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var properties = entity.GetProperties().ToList();
        var columns = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({columns}) VALUES ";
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();

        // SQL Server takes at most 2100 parameters per statement; stay under it everywhere.
        var rowsPerStatement = db.Database.IsSqlite() ? RowsPerSqliteStatement : Math.Min(RowsPerStatement, 2000 / properties.Count);
        for (var offset = 0; offset < events.Count; offset += rowsPerStatement)
        {
            var chunk = events.Skip(offset).Take(rowsPerStatement).ToList();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var text = new StringBuilder(head, head.Length + (chunk.Count * properties.Count * 8));
            for (var row = 0; row < chunk.Count; row++)
            {
                text.Append(row == 0 ? "(" : ", (");
                for (var column = 0; column < properties.Count; column++)
                {
                    var property = properties[column];
                    var name = $"p{row}_{column}";
                    if (column > 0)
                    {
                        text.Append(", ");
                    }

                    text.Append(sql.GenerateParameterNamePlaceholder(name));
                    var value = property.PropertyInfo!.GetValue(chunk[row]);
                    // The type mapping applies the property's value converter and the provider's parameter type.
                    command.Parameters.Add(((RelationalTypeMapping)property.GetTypeMapping()).CreateParameter(command, sql.GenerateParameterName(name), value, property.IsNullable));
                }

                text.Append(')');
            }

            command.CommandText = text.ToString();
            await command.ExecuteNonQueryAsync();
        }
    }
}
