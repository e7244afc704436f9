using System.Net;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Foundation;

public abstract class HostTests(IHubFixture fixture) : HubTestBase(fixture)
{
    [Fact]
    public async Task HealthEndpoints_DatabaseReachable_Answer200()
    {
        var client = Hub.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Root_Anonymous_RedirectsToLoginPage()
    {
        var client = Hub.CreateBrowser();
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var login = await client.GetStringAsync(response.Headers.Location);
        Assert.Contains("<h1>Sign in</h1>", login, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swagger_ServesDocumentAndUi()
    {
        var client = Hub.CreateClient();
        var document = await client.GetStringAsync("/swagger/v1/swagger.json");
        Assert.Contains("\"/api/v1/tenant\"", document, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);
    }

    [Fact]
    public async Task SignIn_MemberWithRightPassword_SeesOwnWebsites()
    {
        var tenant = await Data.TenantAsync("Bakery");
        await Data.UserAsync("owner@bakery.example", tenant, TenantRole.Owner);
        await Data.TenantAsync("Someone Else");
        var client = Hub.CreateBrowser();

        await Browser.SignInAsync(client, "owner@bakery.example");
        var home = await client.GetStringAsync("/");

        Assert.Contains("Bakery", home, StringComparison.Ordinal);
        Assert.DoesNotContain("Someone Else", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_UnknownEmailOrWrongPassword_SameGenericMessage()
    {
        await Data.UserAsync("real@bakery.example");
        var client = Hub.CreateBrowser();

        var wrongPassword = await Browser.SubmitAsync(client, "/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = "real@bakery.example", ["Password"] = "not-the-password-1A" });
        var unknownUser = await Browser.SubmitAsync(client, "/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = "ghost@bakery.example", ["Password"] = "not-the-password-1A" });

        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknownUser.StatusCode);
        const string message = "Sign-in failed. Check your email and password";
        Assert.Contains(message, await wrongPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(message, await unknownUser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksOutEvenTheRightPassword()
    {
        await Data.UserAsync("victim@bakery.example");
        var client = Hub.CreateBrowser();
        for (var i = 0; i < 5; i++)
        {
            await Browser.SubmitAsync(client, "/account/login", "/account/login",
                new Dictionary<string, string> { ["Email"] = "victim@bakery.example", ["Password"] = $"guess-{i}-Password" });
        }

        var response = await Browser.SubmitAsync(client, "/account/login", "/account/login",
            new Dictionary<string, string> { ["Email"] = "victim@bakery.example", ["Password"] = TestData.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the form again, not the redirect of a success
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Login_PostWithoutAntiforgeryToken_Rejected()
    {
        await Data.UserAsync("owner@bakery.example");
        var client = Hub.CreateBrowser();
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "owner@bakery.example",
            ["Password"] = TestData.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task HangfireDashboard_OnlyForHubAdministrators()
    {
        var anonymous = Hub.CreateBrowser();
        // A signed-out page request is sent to sign in and back; the dashboard's background requests get a 401.
        var page = await anonymous.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/login?ReturnUrl=%2Fhangfire", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/hangfire/stats", new FormUrlEncodedContent([]))).StatusCode);

        var tenant = await Data.TenantAsync();
        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var member = Hub.CreateBrowser();
        await Browser.SignInAsync(member, "owner@acme.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/hangfire")).StatusCode);

        var admin = Hub.CreateBrowser();
        await Browser.SignInAsync(admin, await Data.AdministratorAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task Responses_CarryBaselineSecurityHeaders()
    {
        var response = await Hub.CreateClient().GetAsync("/account/login");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }
}

public sealed class HostTestsOnSqlite(SqliteHubFixture fixture) : HostTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class HostTestsOnPostgres(PostgresHubFixture fixture) : HostTests(fixture);
