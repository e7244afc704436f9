using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Foundation;

/// <summary>
/// A fresh clone's first start creates and migrates the SQLite file: EF warned there about the PRAGMA its own table
/// rebuilds run outside a transaction, advice for whoever writes migrations that an operator can do nothing with.
/// </summary>
public sealed class SqliteFirstStartLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hub-first-start-").FullName;

    [Fact]
    public void Start_NewSqliteDatabase_MigratesWithoutEfWarnings()
    {
        var logs = new CapturedLogs();
        using (var factory = new HubApplicationFactory(
            DatabaseProvider.Sqlite,
            $"Data Source={Path.Combine(_directory, "hub.db")}",
            _directory,
            services: services => services.AddSingleton<ILoggerProvider>(logs)))
        {
            factory.StartServer();
        }

        Assert.True(File.Exists(Path.Combine(_directory, "hub.db")));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && e.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle may still be closing; the temp folder is harmless.
        }
    }
}
