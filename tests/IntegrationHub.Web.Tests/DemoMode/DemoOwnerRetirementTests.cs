using System.Net;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.DemoMode;

/// <summary>
/// The demo owner's password is published. An operator who tried the hub in demo mode and then configured the real
/// Crisp credentials kept that account: anyone could still sign in with it, as the demo website's owner (or more).
/// Start-up with credentials locks it out and takes its websites and roles away, saying so once.
/// </summary>
public sealed class DemoOwnerRetirementTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hub-demo-retire-").FullName;

    [Fact]
    public async Task StartWithCredentials_AfterDemoMode_DemoOwnerCannotSignInAndHoldsNothing()
    {
        await using (var demo = DemoHubFixture.Start(_directory, new CapturedLogs()))
        {
            await DemoHubFixture.WaitUntilReadyAsync(demo);
            // An operator who made the demo account an administrator too.
            await using var scope = demo.Services.CreateAsyncScope();
            Assert.True((await scope.ServiceProvider.GetRequiredService<HubAdministratorBootstrapper>()
                .EnsureAdministratorAsync(HubCrispMode.DemoOwnerEmail, HubCrispMode.DemoOwnerPassword)).Succeeded);
        }

        var logs = new CapturedLogs();
        await using (var real = WithCredentials(logs))
        {
            var browser = real.CreateBrowser();
            var signIn = await Browser.SubmitAsync(browser, "/account/login", "/account/login", new Dictionary<string, string>
            {
                ["Email"] = HubCrispMode.DemoOwnerEmail,
                ["Password"] = HubCrispMode.DemoOwnerPassword,
            });
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            Assert.Contains("Sign-in failed", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            await using var scope = real.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
            var owner = await users.FindByEmailAsync(HubCrispMode.DemoOwnerEmail);
            Assert.NotNull(owner);
            Assert.Empty(await users.GetRolesAsync(owner));
            Assert.False(await users.HasPasswordAsync(owner));
            Assert.False(await scope.ServiceProvider.GetRequiredService<HubDbContext>().Memberships.AcrossTenants().AnyAsync(m => m.UserId == owner.Id));
        }

        Assert.Single(logs.Entries, e => e.Message.Contains(HubCrispMode.DemoOwnerEmail, StringComparison.Ordinal)
            && e.Message.Contains("locked out and removed from 1 website(s) and the role(s) " + HubRoles.Administrator, StringComparison.Ordinal));

        // Once is enough: a later start finds nothing to do and says nothing.
        var later = new CapturedLogs();
        await using (var again = WithCredentials(later))
        {
            _ = again.Services;
        }

        Assert.DoesNotContain(later.Entries, e => e.Message.Contains(HubCrispMode.DemoOwnerEmail, StringComparison.Ordinal));

        // Back in demo mode (this database was never synced with Crisp), the published credentials work again.
        await using var demoAgain = DemoHubFixture.Start(_directory, new CapturedLogs());
        await DemoHubFixture.WaitUntilReadyAsync(demoAgain);
        var root = new Uri(demoAgain.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority) + "/");
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = root };
        await Browser.SignInAsync(client, HubCrispMode.DemoOwnerEmail, HubCrispMode.DemoOwnerPassword);
    }

    private HubApplicationFactory WithCredentials(CapturedLogs logs)
    {
        var factory = new HubApplicationFactory(
            DatabaseProvider.Sqlite,
            $"Data Source={Path.Combine(_directory, "hub.db")}",
            _directory,
            services: services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        factory.StartServer();
        return factory;
    }

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
