using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Hooks;

/// <summary>
/// With plugin credentials but no usable hook secret every Plugin Hook is refused with 401; the operator is told once,
/// at start-up, instead of by one warning per refused hook.
/// </summary>
public sealed class HookSecretStartupWarningTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hub-hook-secret-").FullName;

    [Theory]
    [InlineData("", "Crisp:HookSecret is empty")]
    [InlineData("secret-from-a-file\n", "Crisp:HookSecret starts or ends with whitespace")]
    public void Start_CredentialsWithoutAUsableHookSecret_WarnsOnceNamingTheKey(string secret, string warning)
    {
        var logs = new CapturedLogs();
        using (var factory = Start(secret, logs))
        {
            factory.StartServer();
        }

        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith(warning, StringComparison.Ordinal));
    }

    [Fact]
    public void Start_WithAHookSecret_SaysNothingAboutIt()
    {
        var logs = new CapturedLogs();
        using (var factory = Start("a-proper-secret", logs))
        {
            factory.StartServer();
        }

        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("Crisp:HookSecret", StringComparison.Ordinal));
    }

    private HubApplicationFactory Start(string secret, CapturedLogs logs) => new(
        DatabaseProvider.Sqlite,
        $"Data Source={Path.Combine(_directory, "hub.db")}",
        _directory,
        new Dictionary<string, string?> { ["Crisp:HookSecret"] = secret },
        services: services => services.AddSingleton<ILoggerProvider>(logs));

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
