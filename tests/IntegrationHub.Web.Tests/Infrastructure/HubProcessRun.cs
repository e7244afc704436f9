using System.Diagnostics;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>The built hub as its own process, for what only a real start shows: exit codes and what reaches the console.</summary>
internal static class HubProcessRun
{
    public static ProcessStartInfo StartInfo()
    {
        var dll = IntegrationHub.Drills.HubProcess.LocateHub();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        return start;
    }

    /// <summary>Runs the hub until it exits by itself; fails the test with <paramref name="stalled"/> after 40 s.</summary>
    public static async Task<(int ExitCode, string Text)> RunToExitAsync(ProcessStartInfo start, string stalled)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail(stalled);
        }

        return (process.ExitCode, await output + await errors);
    }
}
