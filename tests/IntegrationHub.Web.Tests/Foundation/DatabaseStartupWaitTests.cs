using System.Diagnostics;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IntegrationHub.Web.Tests.Foundation;

/// <summary>
/// Start-up against a server database says at once what it waits for, refuses wrong credentials at once, and gives up
/// on an unreachable server after a bounded, logged wait — with a clear line and a non-zero exit, never the password.
/// </summary>
public sealed class DatabaseStartupWaitTests
{
    private const string WrongPassword = "not-the-hub-password-7391";

    private static string WithWrongPassword() =>
        new NpgsqlConnectionStringBuilder(PostgresHubFixture.ServerConnectionString) { Password = WrongPassword }.ConnectionString;

    [Fact]
    public async Task Postgres_Reachable_LogsWhatItWaitedForAndReturns()
    {
        using var logs = new CapturedLogs();

        await DatabaseStartupWait.WaitAsync(DatabaseProvider.Postgres, PostgresHubFixture.ServerConnectionString, 5, logs.CreateLogger("test"));

        Assert.Contains(logs.Entries, e => e.Message.StartsWith("Waiting for the database: PostgreSQL at 127.0.0.1:5432", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Message.StartsWith("Database reachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Postgres_WrongPassword_RefusedAtOnceWithoutThePassword()
    {
        using var logs = new CapturedLogs();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() =>
            DatabaseStartupWait.WaitAsync(DatabaseProvider.Postgres, WithWrongPassword(), 60, logs.CreateLogger("test")));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Contains("wrong user name or password", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:5432", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, e => e.AllText.Contains(WrongPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Postgres_Unreachable_RetriesWithLoggedWaitThenGivesUp()
    {
        using var logs = new CapturedLogs();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() =>
            DatabaseStartupWait.WaitAsync(DatabaseProvider.Postgres, "Host=127.0.0.1;Port=1;Username=hub;Password=hub;Database=x;Timeout=2", 2, logs.CreateLogger("test")));

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        Assert.Contains("could not be reached within 2 s", error.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Database not reachable yet (attempt 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HubProcess_WrongPostgresPassword_ExitsNonZeroWithOneClearLine()
    {
        var start = HubProcessRun.StartInfo();
        start.Environment["Database__Provider"] = "Postgres";
        start.Environment["ConnectionStrings__Hub"] = WithWrongPassword();
        start.Environment["Hub__DataDirectory"] = Directory.CreateTempSubdirectory("hub-dbwait-").FullName;
        var watch = Stopwatch.StartNew();
        var (exitCode, text) = await HubProcessRun.RunToExitAsync(start, "The hub was still silent after 40 s instead of refusing the wrong password.");

        // At once: building the pipeline made Hangfire's PostgreSQL storage first, which retried the password for ~35 s.
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
        Assert.Equal(1, exitCode);
        Assert.Contains("Waiting for the database: PostgreSQL at 127.0.0.1:5432", text, StringComparison.Ordinal);
        Assert.Contains("The database refused the hub: wrong user name or password", text, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
    }
}
