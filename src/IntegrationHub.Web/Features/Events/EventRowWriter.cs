using System.Text;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace IntegrationHub.Web.Features.Events;

/// <summary>How <see cref="EventRowWriter"/> writes rows; <see cref="Auto"/> everywhere but in tests that compare the paths.</summary>
public enum EventInsertMode
{
    /// <summary>Binary COPY on PostgreSQL from <see cref="EventRowWriter.CopyThreshold"/> rows, multi-row INSERTs otherwise.</summary>
    Auto,
    Insert,
    Copy,
}

/// <summary>
/// Inserts accepted events on the context's connection and transaction instead of one tracked entity and one
/// statement per row: the ingest writer's hot path. Multi-row INSERT statements on every provider; on PostgreSQL,
/// binary COPY for larger groups (a batch request's 500 rows: one COPY instead of ~3 INSERTs with 1,600 parameters
/// each, which profiling showed as the largest single cost of the batch endpoint). Table, columns, value
/// conversions and parameter types all come from the EF model, so both paths stay provider-neutral and in step
/// with migrations. These rows bypass SaveChanges, so the save-time tenant check is done here, explicitly,
/// against the context's tenant.
/// </summary>
internal static class EventRowWriter
{
    /// <summary>From this many rows of one commit, PostgreSQL gets COPY (below it, the extra round trip of COPY costs more than it saves).</summary>
    public const int CopyThreshold = 32;

    private const int RowsPerStatement = 500;

    public static async Task InsertAsync(HubDbContext db, IReadOnlyList<ProductEvent> events, EventInsertMode mode = EventInsertMode.Auto)
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
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);
        var connection = db.Database.GetDbConnection();

        var copy = connection is NpgsqlConnection && (mode == EventInsertMode.Copy || (mode == EventInsertMode.Auto && events.Count >= CopyThreshold));
        if (mode == EventInsertMode.Copy && connection is not NpgsqlConnection)
        {
            throw new NotSupportedException("COPY is PostgreSQL's.");
        }

        if (copy)
        {
            await CopyAsync((NpgsqlConnection)connection, $"COPY {tableName} ({columns}) FROM STDIN (FORMAT BINARY)", properties, events);
            return;
        }

        var head = $"INSERT INTO {tableName} ({columns}) VALUES ";
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (db.Database.IsSqlite())
        {
            await InsertSqliteAsync(connection, transaction, head, sql, properties, events);
            return;
        }

        // SQL Server takes at most 2100 parameters per statement; stay under it everywhere.
        var rowsPerStatement = Math.Min(RowsPerStatement, 2000 / properties.Count);
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
                    var value = property.GetGetter().GetClrValueUsingContainingEntity(chunk[row]);
                    // The type mapping applies the property's value converter and the provider's parameter type.
                    command.Parameters.Add(((RelationalTypeMapping)property.GetTypeMapping()).CreateParameter(command, sql.GenerateParameterName(name), value, property.IsNullable));
                }

                text.Append(')');
            }

            command.CommandText = text.ToString();
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// SQLite runs in-process, so one statement per row costs no round trip; what a multi-row statement costs there
    /// is parsing it anew on every commit (its row count varies) and binding: SQLite resolves each named parameter
    /// by a linear scan of the statement's names, O(n²) in the statement's width (strncmp was ~5 % of the hub's CPU
    /// under single-event load). So: one single-row INSERT, prepared once per commit and executed per row; the
    /// command keeps its prepared statement while its text is unchanged, and only the values are rebound.
    /// </summary>
    private static async Task InsertSqliteAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string head,
        ISqlGenerationHelper sql, List<IProperty> properties, IReadOnlyList<ProductEvent> events)
    {
        var text = new StringBuilder(head).Append('(');
        var names = new string[properties.Count];
        var mappings = new RelationalTypeMapping[properties.Count];
        for (var column = 0; column < properties.Count; column++)
        {
            var name = $"p{column}";
            names[column] = sql.GenerateParameterName(name);
            mappings[column] = (RelationalTypeMapping)properties[column].GetTypeMapping();
            text.Append(column == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder(name));
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text.Append(')').ToString();
        foreach (var e in events)
        {
            command.Parameters.Clear();
            for (var column = 0; column < properties.Count; column++)
            {
                var property = properties[column];
                var value = property.GetGetter().GetClrValueUsingContainingEntity(e);
                // The type mapping applies the property's value converter and the provider's parameter type.
                command.Parameters.Add(mappings[column].CreateParameter(command, names[column], value, property.IsNullable));
            }

            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Binary COPY inside the connection's open transaction (Npgsql runs COPY in it): nothing is visible, or
    /// acknowledged, before the ingest writer commits. Each value goes through the property's value converter
    /// and is written as the column's store type, as the INSERT path's parameters are.
    /// </summary>
    private static async Task CopyAsync(NpgsqlConnection connection, string copyCommand, List<IProperty> properties, IReadOnlyList<ProductEvent> events)
    {
        var columns = properties.Select(p =>
        {
            var mapping = (RelationalTypeMapping)p.GetTypeMapping();
            return (Getter: p.GetGetter(), Converter: mapping.Converter, StoreType: mapping.StoreTypeNameBase);
        }).ToArray();

        await using var importer = await connection.BeginBinaryImportAsync(copyCommand);
        foreach (var e in events)
        {
            await importer.StartRowAsync();
            foreach (var (getter, converter, storeType) in columns)
            {
                var value = getter.GetClrValueUsingContainingEntity(e);
                if (converter is not null && value is not null)
                {
                    value = converter.ConvertToProvider(value);
                }

                if (value is null)
                {
                    await importer.WriteNullAsync();
                }
                else
                {
                    await importer.WriteAsync(value, storeType);
                }
            }
        }

        await importer.CompleteAsync();
    }
}
