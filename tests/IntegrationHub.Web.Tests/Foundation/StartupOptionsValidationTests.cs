using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Infrastructure.Jobs;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Tests.Foundation;

/// <summary>
/// Numbers that would only break things later (every hook refused, every uninstalled website purged at once) stop
/// start-up instead, with a message naming the key.
/// </summary>
public sealed class StartupOptionsValidationTests
{
    private static void ValidateOnStart(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        // Only these settings: variables in the test run's environment must not change the answers.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddHubHooks();
        builder.AddHubInstallations(runJobs: false);
        builder.AddHubRelay();
        builder.AddHubJobs(runServer: false);
        using var services = builder.Services.BuildServiceProvider();
        // What the host runs before it starts (ValidateOnStart registers its checks here).
        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Defaults_Accepted() => ValidateOnStart([]);

    [Fact]
    public void MissingKeyRing_IsARefusal_TheOperatorReadsAsOneLine()
    {
        var refusal = new IntegrationHub.Web.Features.Credentials.LocalKeyRingMissingException("The local key ring '/x' does not exist.");

        Assert.Equal(["The local key ring '/x' does not exist."], IntegrationHub.Web.Infrastructure.Hosting.StartupRefusal.Messages(refusal));
    }

    [Theory]
    [InlineData("Installations:FullSyncCron", "0 */2 * * *")]
    [InlineData("Installations:CatchUpCron", "*/10 * * * * *")] // six fields: seconds first
    [InlineData("Jobs:WorkerCount", "1")]
    [InlineData("Hooks:InboxRetention", "7.00:00:00")]
    [InlineData("Relay:Retention", "90.00:00:00")]
    public void SensibleValues_Accepted(string key, string value) => ValidateOnStart(new() { [key] = value });

    [Theory]
    [InlineData("Hooks:MaxBodyBytes", "-5", "Hooks:MaxBodyBytes must be at least 1024")]
    [InlineData("Hooks:MaxBodyBytes", "0", "Hooks:MaxBodyBytes must be at least 1024")]
    [InlineData("Hooks:MaxBodyBytes", "1048576", "Hooks:MaxBodyBytes must be at most 300000")] // a 500 for bigger hooks on PostgreSQL
    [InlineData("Hooks:TimestampTolerance", "-00:05:00", "Hooks:TimestampTolerance must be positive")]
    [InlineData("Hooks:InboxRetention", "3.00:00:00", "Hooks:InboxRetention must be at least 7 days")] // a redelivery after the purge is processed again
    [InlineData("Hooks:InboxRetention", "00:00:00", "Hooks:InboxRetention must be at least 7 days")]
    [InlineData("Relay:Retention", "1.00:00:00", "Relay:Retention must be at least 7 days")]
    [InlineData("Installations:Retention", "-1.00:00:00", "Installations:Retention must be positive")]
    [InlineData("Installations:Retention", "00:00:00", "Installations:Retention must be positive")]
    [InlineData("Relay:Timeout", "-00:00:01", "Relay:Timeout must be positive")]
    [InlineData("Relay:LeaseDuration", "00:00:01", "Relay:LeaseDuration longer than it")]
    [InlineData("Relay:DisableAfter", "00:00:00", "Relay:DisableAfter must be positive")]
    [InlineData("Relay:SecretOverlap", "-01:00:00", "Relay:SecretOverlap not negative")]
    [InlineData("Relay:BatchSize", "0", "Relay:BatchSize and Relay:MaxEndpointsPerTenant must be at least 1")]
    [InlineData("Relay:MaxEndpointsPerTenant", "-1", "Relay:BatchSize and Relay:MaxEndpointsPerTenant must be at least 1")]
    [InlineData("Relay:DrainParallelism", "0", "Relay:DrainParallelism must be at least 1")]
    [InlineData("Relay:PollInterval", "00:00:00", "Relay:PollInterval and Relay:DrainBudget positive")]
    [InlineData("Relay:DrainBudget", "-00:00:01", "Relay:PollInterval and Relay:DrainBudget positive")]
    [InlineData("Jobs:WorkerCount", "0", "Jobs:WorkerCount must be at least 1")]
    [InlineData("Jobs:WorkerCount", "-4", "Jobs:WorkerCount must be at least 1")]
    [InlineData("Jobs:RelayWorkerCount", "0", "Jobs:RelayWorkerCount must be at least 1")]
    [InlineData("Installations:FullSyncCron", "bogus", "Installations:FullSyncCron must be a cron expression")]
    [InlineData("Installations:FullSyncCron", "99 * * * *", "Installations:FullSyncCron must be a cron expression")]
    [InlineData("Installations:CatchUpCron", " ", "Installations:CatchUpCron must be a cron expression")]
    [InlineData("Installations:CatchUpCron", "*/5 * * *", "Installations:CatchUpCron must be a cron expression")]
    public void NonsenseNumber_StopsStartUpNamingTheKey(string key, string value, string message)
    {
        var error = Assert.ThrowsAny<Exception>(() => ValidateOnStart(new() { [key] = value }));

        var failures = error is AggregateException many ? many.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures) : ((OptionsValidationException)error).Failures;
        Assert.Contains(failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HubProcess_NonsenseSettings_ExitsWithOneLineEachAndNoStackTraceBeforeTouchingTheDatabase()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("hub-options-").FullName;
        var start = HubProcessRun.StartInfo();
        start.Environment["Hub__DataDirectory"] = dataDirectory;
        start.Environment["Jobs__WorkerCount"] = "0";
        start.Environment["Installations__CatchUpCron"] = "bogus";
        start.Environment["Security__LoginAttemptsPerMinute"] = "-1"; // read while the pipeline is built
        var (exitCode, text) = await HubProcessRun.RunToExitAsync(start, "The hub did not stop on nonsense settings within 40 s.");

        Assert.Equal(1, exitCode);
        Assert.Contains("Jobs:WorkerCount must be at least 1.", text, StringComparison.Ordinal);
        Assert.Contains("Installations:CatchUpCron must be a cron expression", text, StringComparison.Ordinal);
        Assert.Contains("LoginAttemptsPerMinute", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dataDirectory, "*.db"));
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Theory]
    [InlineData("Jobs__WorkerCount", "abc", "'abc' at 'Jobs:WorkerCount'")] // read when the options are checked
    [InlineData("Installations__Retention", "30days", "'30days' at 'Installations:Retention'")]
    [InlineData("Database__Provider", "Postgress", "'Postgress' at 'Database:Provider'")] // read while services are registered
    [InlineData("Jobs__RunServer", "yes", "'yes' at 'Jobs:RunServer'")]
    [InlineData("Database__Provider", "Postgres", "Database:Provider is Postgres but ConnectionStrings:Hub is not set.")]
    public async Task HubProcess_SettingOfTheWrongTypeOrMissing_ExitsWithOneLineNamingTheKey(string variable, string value, string message)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("hub-options-").FullName;
        var start = HubProcessRun.StartInfo();
        start.Environment["Hub__DataDirectory"] = dataDirectory;
        start.Environment["ConnectionStrings__Hub"] = "";
        start.Environment[variable] = value;
        var (exitCode, json) = await HubProcessRun.RunToExitAsync(start, $"The hub did not stop on {variable}={value} within 40 s.");
        var text = json.Replace("\\u0027", "'", StringComparison.Ordinal); // the JSON log escapes quotes

        Assert.Equal(1, exitCode);
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.Contains("\"LogLevel\":\"Critical\"", text, StringComparison.Ordinal); // the host's JSON log shape, not a bare line
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dataDirectory, "*.db"));
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Theory]
    [InlineData("Database__Provider=Postgres|ConnectionStrings__Hub=Host=127.0.0.1;Bogus=1;Password=pw-8812", "ConnectionStrings:Hub is not a valid Postgres connection string: Couldn't set bogus")]
    [InlineData("Database__Provider=Postgres|ConnectionStrings__Hub=pw-8812", "ConnectionStrings:Hub is not a valid Postgres connection string: Format of the initialization string")]
    [InlineData("Database__Provider=SqlServer|ConnectionStrings__Hub=Server=db;Encrypt=maybe;Password=pw-8812", "ConnectionStrings:Hub is not a valid SqlServer connection string: Invalid value for key 'Encrypt'.")]
    [InlineData("Hub__DataDirectory=/proc/hub-data", "Hub:DataDirectory '/proc/hub-data' cannot be created or used")]
    [InlineData("ConnectionStrings__Hub=Data Source=/nonexistent-hub-directory/hub.db", "The SQLite database '/nonexistent-hub-directory/hub.db' cannot be used: SQLite Error 14")]
    public async Task HubProcess_UnusableConnectionStringOrDataDirectory_ExitsWithOneLineNamingTheKey(string settings, string message)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("hub-options-").FullName;
        var start = HubProcessRun.StartInfo();
        start.Environment["Hub__DataDirectory"] = dataDirectory;
        foreach (var setting in settings.Split('|'))
        {
            start.Environment[setting[..setting.IndexOf('=', StringComparison.Ordinal)]] = setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        var (exitCode, json) = await HubProcessRun.RunToExitAsync(start, $"The hub did not stop on {settings} within 40 s.");
        var text = json.Replace("\\u0027", "'", StringComparison.Ordinal);

        Assert.Equal(1, exitCode);
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-8812", text, StringComparison.Ordinal);
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Theory]
    [InlineData("not json", "is not valid JSON.")]
    [InlineData("{\"version\":1,\"currentKeyId\":\"k1\",\"keys\":[{\"id\":\"k1\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"key\":\"AAAA\"}]}", "a key entry has no id or is not 256 bits")] // a key of the wrong length
    public async Task HubProcess_KeyRingThatCannotBeRead_ExitsWithOneLineBeforeServing(string ring, string message)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("hub-options-").FullName;
        var keyPath = Path.Combine(dataDirectory, "kek.json");
        await File.WriteAllTextAsync(keyPath, ring);
        var start = HubProcessRun.StartInfo();
        start.Environment["Hub__DataDirectory"] = dataDirectory;
        start.Environment["KeyManagement__Local__KeyPath"] = keyPath;
        var (exitCode, json) = await HubProcessRun.RunToExitAsync(start, "The hub did not stop on an unreadable key ring within 40 s.");
        var text = json.Replace("\\u0027", "'", StringComparison.Ordinal);

        Assert.Equal(1, exitCode); // it was 0: a background job read the ring first, and its failure stopped the host as if asked to
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.Contains("set KeyManagement:Local:KeyPath", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Theory]
    [InlineData("not-a-url", "Invalid url")]
    [InlineData("ftp://127.0.0.1:0", "Unrecognized scheme")]
    public async Task HubProcess_AddressItCannotListenOn_ExitsWithOneLineNamingTheSetting(string urls, string message)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("hub-options-").FullName;
        var start = HubProcessRun.StartInfo();
        start.Environment["Hub__DataDirectory"] = dataDirectory;
        start.Environment["Urls"] = urls;
        var (exitCode, text) = await HubProcessRun.RunToExitAsync(start, $"The hub did not stop on Urls={urls} within 40 s.");

        Assert.Equal(1, exitCode);
        Assert.Contains($"The hub cannot listen on {urls} (Urls, --urls): ", text, StringComparison.Ordinal);
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task HubProcess_BootstrapAdministratorRefused_ExitsWithOneLineNamingTheKey()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("hub-options-").FullName;
        var start = HubProcessRun.StartInfo();
        start.Environment["Hub__DataDirectory"] = dataDirectory;
        start.Environment["Hub__Bootstrap__AdminEmail"] = "admin@example.com";
        start.Environment["Hub__Bootstrap__AdminPassword"] = "short";
        var (exitCode, text) = await HubProcessRun.RunToExitAsync(start, "The hub did not stop on a refused bootstrap password within 40 s.");

        Assert.Equal(1, exitCode);
        Assert.Contains("Hub:Bootstrap administrator could not be created: Passwords must be at least 12 characters.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Directory.Delete(dataDirectory, recursive: true);
    }
}
