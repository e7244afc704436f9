using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Tests.DemoMode;

/// <summary>
/// The hub with no Crisp plugin credentials, on Kestrel with Hangfire running: it mounts the simulator at
/// <c>/crisp-sim</c>, aims its own client and the simulator's hooks at itself, and installs the demo website.
/// </summary>
public sealed class DemoHubFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hub-demo-").FullName;

    public HubApplicationFactory Factory { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    public Uri Root { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Factory = Start(_directory, Logs);
        Root = new Uri(Factory.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority) + "/");
        await WaitUntilReadyAsync(Factory);
    }

    /// <summary>A demo hub on Kestrel with Hangfire running, its SQLite file and data in <paramref name="directory"/>.</summary>
    public static HubApplicationFactory Start(string directory, CapturedLogs logs)
    {
        var factory = new HubApplicationFactory(
            DatabaseProvider.Sqlite,
            $"Data Source={Path.Combine(directory, "hub.db")}",
            directory,
            new Dictionary<string, string?>
            {
                ["Crisp:PluginIdentifier"] = "",
                ["Crisp:PluginKey"] = "",
                ["Jobs:RunServer"] = "true",
                ["Jobs:WorkerCount"] = "4",
            },
            services: services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    /// <summary>Ready once the demo website is installed and its owner exists (the install hook alone may win the race).</summary>
    public static async Task WaitUntilReadyAsync(HubApplicationFactory factory)
    {
        await factory.Services.GetServices<IHostedService>().OfType<DemoModeBootstrapper>().Single().Ready.WaitAsync(TimeSpan.FromSeconds(60));
        await Eventually.UntilAsync(
            async () =>
            {
                await using var scope = factory.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tenants.AcrossTenants()
                    .AnyAsync(t => t.Id == HubCrispMode.DemoWebsiteId && t.Status == TenantStatus.Active);
            },
            "the demo website to become an active tenant",
            TimeSpan.FromSeconds(60));
    }

    /// <summary>A website added by hand (as <c>tenant add</c> does) and a client carrying one of its API keys.</summary>
    public async Task<(Guid WebsiteId, HttpClient Client)> HandAddedWebsiteAsync(string name)
    {
        var websiteId = Guid.NewGuid();
        var data = new TestData(Factory.Services);
        await data.TenantAsync(name, websiteId);
        var key = await data.ApiKeyAsync(websiteId);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);
        return (websiteId, client);
    }

    /// <summary>The website's Crisp calls once every one is finished (sent or dead), within a minute.</summary>
    public async Task<List<CrispCall>> FinishedCallsAsync(Guid websiteId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(websiteId);
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await Eventually.UntilAsync(
            () => db.Set<CrispCall>().AsNoTracking().ToListAsync(),
            c => c.Count > 0 && c.All(x => x.Status is CrispCallStatus.Sent or CrispCallStatus.Dead or CrispCallStatus.Paused),
            "the website's calls to be delivered",
            TimeSpan.FromSeconds(60));
    }

    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = Root };

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
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

public sealed class DemoModeTests(DemoHubFixture demo) : IClassFixture<DemoHubFixture>
{
    private const string Banner = "Demo mode: no Crisp credentials are configured";

    [Fact]
    public async Task Start_NoCredentials_DemoWebsiteInstalledThroughHookAndSync()
    {
        Assert.True(demo.Factory.Services.GetRequiredService<HubCrispMode>().IsDemo);
        await using var scope = demo.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();

        var tenant = await db.Tenants.AcrossTenants().SingleAsync(t => t.Id == HubCrispMode.DemoWebsiteId);
        Assert.Equal((TenantStatus.Active, TenantSource.Crisp), (tenant.Status, tenant.Source));

        // The install hook was signed by the simulator, accepted by /crisp/hooks and processed from the inbox.
        var hook = await Eventually.UntilAsync(
            () => db.Set<HookInboxEntry>().AsNoTracking().FirstOrDefaultAsync(h => h.WebsiteId == HubCrispMode.DemoWebsiteId && h.Event == "plugin:subscription:updated"),
            h => h?.ProcessedAt is not null,
            "the demo install hook to be processed");
        Assert.Equal("processed", hook!.Outcome);

        // ... and a full sync listed the website from the simulator.
        var state = demo.Factory.Services.GetRequiredService<CrispSimulatorState>();
        Assert.Contains(state.GetJournal(), e => e.Path.Contains("plugin/connect/websites/all/1", StringComparison.Ordinal) && e.Status == 206);
        Assert.Contains(state.GetHooks(HubCrispMode.DemoWebsiteId.ToString("D"), "plugin:subscription:updated"), h => h.Status == "delivered");
    }

    [Fact]
    public void Start_OutsideDevelopment_WarnsThatDemoModeIsOpen()
    {
        // The test hub's environment is "Testing": an operator who forgot the credentials hears it.
        var warning = Assert.Single(demo.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && e.Message.StartsWith("Demo mode in the Testing environment", StringComparison.Ordinal));
        Assert.Contains("Crisp:PluginKey", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulatorRoutes_DemoMode_AnswerUnderCrispSim()
    {
        var options = demo.Factory.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        using var client = demo.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/crisp-sim/v1/plugin/connect/account");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.PluginIdentifier}:{options.PluginKey}")));
        request.Headers.Add("X-Crisp-Tier", "plugin");

        var account = await client.SendAsync(request);
        var websites = await client.GetAsync("/crisp-sim/_sim/websites");

        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Equal(options.PluginId, JsonNode.Parse(await account.Content.ReadAsStringAsync())!["data"]!["plugin_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/crisp-sim/v1/plugin/connect/account")).StatusCode);
        Assert.Contains(HubCrispMode.DemoWebsiteId.ToString("D"), await websites.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DashboardPages_DemoOwnerSignedIn_ShowDemoBanner()
    {
        using var browser = demo.CreateClient();
        Assert.Contains(Banner, await browser.GetStringAsync("/account/login"), StringComparison.Ordinal);
        await Browser.SignInAsync(browser, HubCrispMode.DemoOwnerEmail, HubCrispMode.DemoOwnerPassword);

        var home = await browser.GetStringAsync("/");
        var tenantPage = await browser.GetAsync($"/t/{HubCrispMode.DemoWebsiteId:D}");

        Assert.Contains(Banner, home, StringComparison.Ordinal);
        Assert.Contains(HubCrispMode.DemoWebsiteId.ToString("D"), home, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, tenantPage.StatusCode);
        Assert.Contains(Banner, await tenantPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

/// <summary>With plugin credentials configured the simulator is not mounted and no page mentions demo mode.</summary>
public sealed class CredentialsConfiguredTests(SqliteHubFixture fixture) : HubTestBase(fixture), IClassFixture<SqliteHubFixture>
{
    [Theory]
    [InlineData("/crisp-sim/v1/plugin/connect/account")]
    [InlineData("/crisp-sim/_sim/websites")]
    [InlineData("/crisp-sim/_sim/journal")]
    public async Task SimulatorRoutes_CredentialsConfigured_Answer404(string path)
    {
        Assert.False(Hub.Services.GetRequiredService<HubCrispMode>().IsDemo);
        Assert.Equal(HttpStatusCode.NotFound, (await Hub.CreateClient().GetAsync(path)).StatusCode);
        Assert.Null(Hub.Services.GetService<CrispSimulatorState>());
    }

    [Fact]
    public async Task DashboardPages_CredentialsConfigured_NoDemoBanner()
    {
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("owner@acme.example", tenant);
        var browser = Hub.CreateBrowser();
        Assert.DoesNotContain("Demo mode", await browser.GetStringAsync("/account/login"), StringComparison.Ordinal);
        await Browser.SignInAsync(browser, "owner@acme.example");

        Assert.DoesNotContain("Demo mode", await browser.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.DoesNotContain("Demo mode", await browser.GetStringAsync($"/t/{tenant:D}"), StringComparison.Ordinal);
    }
}
