using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Infrastructure.Data;

public static class DatabaseInitializer
{
    public static async Task MigrateAsync(HubDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // WAL lets the API write while the dashboard and jobs read; it is a property of the file, set once.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        await db.Database.MigrateAsync(cancellationToken);
    }
}
