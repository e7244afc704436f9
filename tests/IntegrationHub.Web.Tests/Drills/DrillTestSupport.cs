using System.Text;
using IntegrationHub.Drills;
using IntegrationHub.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IntegrationHub.Web.Tests.Drills;

/// <summary>
/// The drills start hub processes and load them: they run one after the other (this collection), beside the rest
/// of the suite. Each creates and drops its own PostgreSQL database.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DrillCollection
{
    public const string Name = "Drills (hub processes on PostgreSQL)";
}

public static class DrillTestSupport
{
    /// <summary>Short versions: generous waits for a loaded 2-core machine, few cycles.</summary>
    public static DrillOptions ShortOptions => new()
    {
        ServerConnectionString = PostgresHubFixture.ServerConnectionString,
        Cycles = 3,
        MaxRunBeforeKill = TimeSpan.FromSeconds(3),
        FaultPhase = TimeSpan.FromSeconds(2),
        SettleTimeout = TimeSpan.FromSeconds(90),
    };

    /// <summary>Every named check was made, and every check the drill made held (the message lists what failed).</summary>
    public static void AssertHeld(DrillReport report, params string[] expected)
    {
        Assert.All(expected, name => Assert.True(report.Checks.Any(c => c.Name == name), $"the drill did not check '{name}'"));
        Assert.True(report.Passed, report.Summary());
    }
}

/// <summary>Drill progress into the test's output (visible with a failing test or a detailed logger).</summary>
public sealed class TestOutputWriter(ITestOutputHelper output) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        try
        {
            output.WriteLine(value ?? string.Empty);
        }
        catch (InvalidOperationException)
        {
            // The test already finished (a background write after the end): nowhere to write.
        }
    }
}
