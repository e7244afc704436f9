using System.Net.Sockets;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IntegrationHub.Web.Tests.Drills;

/// <summary>Which failures count as "database unavailable" (503 + Retry-After) and which stay errors (500).</summary>
public sealed class DatabaseUnavailableTests
{
    public static TheoryData<string, Exception> Unavailable => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)) },
        { "connect timeout", new NpgsqlException("The operation has timed out", new TimeoutException()) },
        { "server shutting down (57P01)", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01") },
        { "cannot connect now (57P03)", new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03") },
        { "too many connections (53300)", new PostgresException("too many clients", "FATAL", "FATAL", "53300") },
        { "wrapped by EF", new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", new NpgsqlException("Exception while reading from stream", new EndOfStreamException())) },
        { "in a failed save", new DbUpdateException("save failed", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))) },
        { "SQLite busy", new SqliteException("database is locked", 5) },
        { "SQLite locked", new SqliteException("database table is locked", 6) },
    };

    public static TheoryData<string, Exception> Errors => new()
    {
        { "unique violation", new DbUpdateException("dup", new PostgresException("duplicate key", "ERROR", "ERROR", "23505")) },
        { "syntax error", new PostgresException("syntax error", "ERROR", "ERROR", "42601") },
        { "SQLite constraint", new SqliteException("UNIQUE constraint failed", 19) },
        { "plain bug", new InvalidOperationException("Sequence contains no elements") },
        { "a timeout elsewhere", new TimeoutException("Crisp took too long") },
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public void Unreachable_or_refusing_database_is_unavailable(string what, Exception exception) =>
        Assert.True(DatabaseUnavailable.Is(exception), what);

    [Theory]
    [MemberData(nameof(Errors))]
    public void Other_failures_are_not(string what, Exception exception) =>
        Assert.False(DatabaseUnavailable.Is(exception), what);

    [Fact]
    public void Postgres_timeouts_are_bounded_unless_the_connection_string_sets_them_and_nothing_is_auto_prepared()
    {
        var options = new DatabaseOptions { ConnectTimeoutSeconds = 5, CommandTimeoutSeconds = 30 };

        var bounded = new NpgsqlConnectionStringBuilder(DatabaseServiceCollectionExtensions.BoundPostgresTimeouts("Host=db;Database=hub;Username=u;Password=p", options));
        var explicitly = new NpgsqlConnectionStringBuilder(DatabaseServiceCollectionExtensions.BoundPostgresTimeouts("Host=db;Database=hub;Timeout=2;Command Timeout=7", options));

        Assert.Equal((5, 30), (bounded.Timeout, bounded.CommandTimeout));
        Assert.Equal("p", bounded.Password);
        Assert.Equal(0, bounded.MaxAutoPrepare);
        Assert.Equal((2, 7), (explicitly.Timeout, explicitly.CommandTimeout));
        Assert.Equal(0, explicitly.MaxAutoPrepare);
    }
}
