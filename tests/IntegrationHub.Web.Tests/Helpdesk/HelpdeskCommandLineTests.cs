using System.Text;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Infrastructure.Cli;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace IntegrationHub.Web.Tests.Helpdesk;

/// <summary>
/// <c>helpdesk sync</c> from a folder, in-process against its own SQLite file with the Crisp client aimed at a
/// standalone simulator: the plan is printed, a dry run queues nothing, a real run queues the writes as outbox calls
/// (the server's delivery engine sends them), and refused files make the exit code 1.
/// </summary>
public sealed class HelpdeskCommandLineTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hub-cli-kb-").FullName;
    private LiveSimulator _simulator = null!;

    private string Database => Path.Combine(_directory, "cli.db");

    private string Docs => Path.Combine(_directory, "docs");

    public async Task InitializeAsync() => _simulator = await LiveSimulator.StartAsync();

    [Fact]
    public async Task HelpdeskSync_DryRunThenRun_PrintsPlanAndQueuesWritesOnlyWhenNotDry()
    {
        var website = _simulator.Install("Cli Docs").WebsiteId;
        Assert.Equal(0, (await RunAsync("tenant", "add", "--website", website, "--name", "Cli Docs")).Code);
        Write("en/articles/orders/shipping.md", HelpdeskHarness.Doc("Shipping", "We ship.\n"));
        Write("en/articles/faq.md", HelpdeskHarness.Doc("FAQ", "Answers.\n"));

        var dry = await RunAsync("helpdesk", "sync", "--website", website, "--dir", Docs, "--dry-run");

        Assert.Equal(0, dry.Code);
        Assert.Contains("create\ten/articles/orders/shipping.md", dry.Output, StringComparison.Ordinal);
        Assert.Contains("create\ten/articles/orders\tfolder", dry.Output, StringComparison.Ordinal);
        Assert.Contains("Dry run: 7 write(s) planned", dry.Output, StringComparison.Ordinal);
        Assert.Equal(0, await CountCallsAsync());

        var run = await RunAsync("helpdesk", "sync", "--website", website, "--dir", Docs);

        Assert.Equal(0, run.Code);
        Assert.Contains("7 write(s) queued", run.Output, StringComparison.Ordinal);
        Assert.Equal(7, await CountCallsAsync());
        Assert.DoesNotContain(_simulator.State.GetJournal(website), e => e.Method != "GET");
    }

    [Fact]
    public async Task HelpdeskSync_RefusedFile_ReportedOnStderrAndExit1()
    {
        var website = _simulator.Install("Cli Docs").WebsiteId;
        await RunAsync("tenant", "add", "--website", website, "--name", "Cli Docs");
        Write("en/articles/ok.md", HelpdeskHarness.Doc("OK", "Fine.\n"));
        Write("en/articles/broken.md", "no front matter\n");

        var result = await RunAsync("helpdesk", "sync", "--website", website, "--dir", Docs, "--dry-run");

        Assert.Equal(1, result.Code);
        Assert.Contains("error\ten/articles/broken.md\t", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("en/articles/en/articles", result.Error, StringComparison.Ordinal);
        Assert.Contains("Front matter is missing", result.Error, StringComparison.Ordinal);
        Assert.Contains("create\ten/articles/ok.md", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpdeskSync_UnknownWebsiteOrMissingDir_Fails()
    {
        Directory.CreateDirectory(Docs);
        var unknown = await RunAsync("helpdesk", "sync", "--website", Guid.NewGuid().ToString(), "--dir", Docs);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("is not a tenant", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(HubCommandLine.UsageError, (await RunAsync("helpdesk", "sync", "--website", Guid.NewGuid().ToString())).Code);
    }

    [Fact]
    public async Task HelpdeskSync_DemoModeWithoutCrispCredentials_OneLineMessageAndExit1()
    {
        Write("en/articles/ok.md", HelpdeskHarness.Doc("OK", "Fine.\n"));

        var result = await RunAsync(withCrisp: false, "helpdesk", "sync", "--website", Guid.NewGuid().ToString(), "--dir", Docs, "--dry-run");

        Assert.Equal(1, result.Code);
        Assert.Equal("helpdesk sync needs Crisp: set Crisp:PluginIdentifier and Crisp:PluginKey (and Crisp:BaseUrl to use a simulator); it cannot run in demo mode.", result.Error.Trim());
        Assert.Equal("", result.Output);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Docs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
    }

    private async Task<int> CountCallsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM crisp_calls WHERE Kind LIKE 'helpdesk.%'";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunAsync(withCrisp: true, args);

    private async Task<(int Code, string Output, string Error)> RunAsync(bool withCrisp, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Hub"] = $"Data Source={Database}",
            ["Hub:DataDirectory"] = _directory,
            // Without plugin credentials the hub runs in demo mode (its simulator inside the server).
            ["Crisp:PluginIdentifier"] = withCrisp ? LiveSimulator.PluginIdentifier : "",
            ["Crisp:PluginKey"] = withCrisp ? LiveSimulator.PluginKey : "",
        };
        if (withCrisp)
        {
            settings["Crisp:BaseUrl"] = _simulator.ApiBaseUrl.ToString();
            settings["Crisp:PluginId"] = _simulator.Options.PluginId;
            settings["Crisp:HookSecret"] = LiveSimulator.HookSecret;
        }

        var code = await HubCommandLine.RunAsync(args, output, error, settings);
        return (code, output.ToString().Replace("\r", string.Empty, StringComparison.Ordinal), error.ToString());
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
