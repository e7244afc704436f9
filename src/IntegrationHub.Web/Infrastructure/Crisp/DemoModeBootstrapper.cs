using System.Net;
using System.Net.Http.Json;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Infrastructure.Crisp;

/// <summary>
/// Demo mode only: once the server listens, installs a demo website in the mounted simulator the way Crisp would
/// (the simulator sends the install hook, and a full sync runs), then gives it a dashboard owner with well-known
/// credentials shown on the sign-in page. Websites added by hand are installed in the simulator as well.
/// </summary>
public sealed class DemoModeBootstrapper(
    IHostApplicationLifetime lifetime,
    IHttpClientFactory httpClients,
    IServiceScopeFactory scopes,
    IHostEnvironment environment,
    DemoHandAddedWebsites handAdded,
    ILogger<DemoModeBootstrapper> logger) : BackgroundService
{
    public const string HttpClientName = "IntegrationHub.DemoMode";

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the demo website is installed and its owner exists (tests wait on it).</summary>
    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!environment.IsDevelopment())
        {
            // Demo mode is what empty Crisp credentials mean, in any environment (the container tries the product
            // offline too); outside Development an operator may simply have forgotten them, and should hear it loudly.
            logger.LogWarning("Demo mode in the {Environment} environment: no Crisp plugin credentials (Crisp:PluginIdentifier, Crisp:PluginKey) "
                + "are configured, so this hub talks to its built-in Crisp simulator, whose admin API ({Prefix}/_sim) and the demo owner "
                + "account are open to anyone who can reach it. Configure the credentials before exposing it.", environment.EnvironmentName, HubCrispMode.SimulatorPrefix);
        }

        try
        {
            await WaitForStartAsync(stoppingToken);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await InstallDemoWebsiteAsync(stoppingToken);
                    // Websites added by hand are installed in the simulator too, before the sync lists them.
                    await handAdded.InstallAllAsync(stoppingToken);
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<InstallationSync>().FullSyncAsync(stoppingToken);
                    await EnsureDemoOwnerAsync(scope.ServiceProvider, stoppingToken);
                    break;
                }
                catch (Exception ex) when (attempt < 5 && ex is HttpRequestException or IntegrationHub.Crisp.CrispException or DbUpdateException)
                {
                    logger.LogWarning("Demo mode: setting up the demo website failed (attempt {Attempt}), retrying: {Error}", attempt, ex.Message);
                    await Task.Delay(TimeSpan.FromSeconds(attempt), stoppingToken);
                }
            }

            logger.LogInformation("Demo mode: Crisp simulator mounted at {Prefix}; demo website {WebsiteId} installed.", HubCrispMode.SimulatorPrefix, HubCrispMode.DemoWebsiteId);
            _ready.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _ready.TrySetCanceled(stoppingToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IntegrationHub.Crisp.CrispException or DbUpdateException)
        {
            logger.LogError(ex, "Demo mode: the demo website could not be installed.");
            _ready.TrySetException(ex);
        }
    }

    private async Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    private async Task InstallDemoWebsiteAsync(CancellationToken stoppingToken)
    {
        var http = httpClients.CreateClient(HttpClientName);
        var admin = $"http://{HubCrispMode.SelfHost}{HubCrispMode.SimulatorPrefix}/_sim";
        var existing = await http.GetAsync(new Uri($"{admin}/websites/{HubCrispMode.DemoWebsiteId:D}"), stoppingToken);
        if (existing.StatusCode == HttpStatusCode.NotFound)
        {
            var install = await http.PostAsJsonAsync(new Uri($"{admin}/websites"), new
            {
                website_id = HubCrispMode.DemoWebsiteId.ToString("D"),
                name = "Demo Store",
                domain = "demo-store.example",
                settings = new { display_name = "Demo Store" },
            }, stoppingToken);
            install.EnsureSuccessStatusCode();
        }
    }

    private static async Task EnsureDemoOwnerAsync(IServiceProvider services, CancellationToken stoppingToken)
    {
        var users = services.GetRequiredService<UserManager<HubUser>>();
        var user = await users.FindByEmailAsync(HubCrispMode.DemoOwnerEmail);
        if (user is null)
        {
            user = new HubUser { UserName = HubCrispMode.DemoOwnerEmail, Email = HubCrispMode.DemoOwnerEmail, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
            var result = await users.CreateAsync(user, HubCrispMode.DemoOwnerPassword);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("Demo owner could not be created: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            }
        }
        else
        {
            await DemoOwnerRetirement.RestoreAsync(users, user);
        }

        services.GetRequiredService<TenantContext>().Use(HubCrispMode.DemoWebsiteId);
        var db = services.GetRequiredService<HubDbContext>();
        if (!await db.Memberships.AnyAsync(m => m.UserId == user.Id, stoppingToken))
        {
            db.Memberships.Add(new TenantMembership { Id = Guid.NewGuid(), UserId = user.Id, Role = TenantRole.Owner, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(stoppingToken);
        }
    }
}
