using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Relay;
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
        using var services = builder.Services.BuildServiceProvider();
        // What the host runs before it starts (ValidateOnStart registers its checks here).
        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Defaults_Accepted() => ValidateOnStart([]);

    [Theory]
    [InlineData("Hooks:MaxBodyBytes", "-5", "Hooks:MaxBodyBytes must be at least 1024")]
    [InlineData("Hooks:MaxBodyBytes", "0", "Hooks:MaxBodyBytes must be at least 1024")]
    [InlineData("Hooks:TimestampTolerance", "-00:05:00", "Hooks:TimestampTolerance must be positive")]
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
    public void NonsenseNumber_StopsStartUpNamingTheKey(string key, string value, string message)
    {
        var error = Assert.ThrowsAny<Exception>(() => ValidateOnStart(new() { [key] = value }));

        var failures = error is AggregateException many ? many.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures) : ((OptionsValidationException)error).Failures;
        Assert.Contains(failures, f => f.Contains(message, StringComparison.Ordinal));
    }
}
