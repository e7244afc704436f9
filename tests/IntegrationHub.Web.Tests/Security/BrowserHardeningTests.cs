using System.Net;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Security;

/// <summary>
/// What a browser (or an attacker's script) sees of the hub as it ships outside Development: transport and
/// content headers, cookie flags, sign-in throttling, password rules, and error pages that say nothing inside.
/// Each test speaks from its own client address (X-Forwarded-For through the trusted proxy).
/// </summary>
public sealed class BrowserHardeningTests(HardenedHubFixture fixture) : HubTestBase(fixture), IClassFixture<HardenedHubFixture>
{
    [Fact]
    public async Task Https_OutsideDevelopment_SendsHstsForAYear()
    {
        var client = Client("203.0.113.10");

        var response = await client.GetAsync("/account/login");

        var hsts = Assert.Single(response.Headers.GetValues("Strict-Transport-Security"));
        Assert.Contains("max-age=31536000", hsts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyForwardedHttps_CountsAsHttps()
    {
        // The TLS proxy talks plain HTTP to the hub and says so in X-Forwarded-Proto.
        var client = Client("203.0.113.11", scheme: "http");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var response = await client.GetAsync("/account/login");

        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hub.af=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task PlainHttp_FormPagesAndJobDashboard_AnswerWithoutError()
    {
        // The container's documented address is http://localhost:8080: no TLS, no proxy.
        var client = Client("203.0.113.14", scheme: "http");

        var login = await client.GetAsync("/account/login");
        var jobs = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("__RequestVerificationToken", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(jobs.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect or HttpStatusCode.Forbidden, $"/hangfire answered {jobs.StatusCode}");
    }

    [Fact]
    public async Task Cookies_SignInAndAntiforgery_SecureHttpOnlySameSite()
    {
        await Data.UserAsync("owner@acme.example");
        var client = Client("203.0.113.12");

        var page = await client.GetAsync("/account/login");
        var antiforgery = Assert.Single(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hub.af=", StringComparison.Ordinal));
        var token = System.Text.RegularExpressions.Regex.Match(await page.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var signIn = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "owner@acme.example",
            ["Password"] = TestData.Password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var auth = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hub.auth=", StringComparison.Ordinal));
        AssertFlags(antiforgery, "samesite=strict");
        AssertFlags(auth, "samesite=lax");
    }

    [Fact]
    public async Task EveryDashboardPage_ContentSecurityPolicy_WithoutUnsafeInlineOrEval()
    {
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var client = Client("203.0.113.13");
        await SignInAsync(client, "owner@acme.example");

        // Every GET page of the tenant dashboard with no parameter but the tenant: new pages are covered too.
        var pages = Hub.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Count == 1 && e.RoutePattern.Parameters[0].Name == DashboardTenantResolver.RouteKey)
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") ?? true)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/').Replace("{" + DashboardTenantResolver.RouteKey + "}", tenant.ToString("D"), StringComparison.Ordinal))
            .Concat(["/", "/account/login", "/no-such-page"])
            .Distinct()
            .ToList();
        Assert.True(pages.Count > 10, $"Only {pages.Count} dashboard pages found.");

        foreach (var url in pages)
        {
            var response = await client.GetAsync(url);
            Assert.True((int)response.StatusCode < 500, $"GET {url} answered {(int)response.StatusCode}.");
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            if (response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                // A policy without unsafe-inline only works when the pages have no inline script or handler.
                var html = await response.Content.ReadAsStringAsync();
                Assert.DoesNotMatch("<script(?![^>]*\\ssrc=)[^>]*>", html);
                Assert.DoesNotMatch("\\son(click|load|submit|change|error)=", html);
            }
        }
    }

    [Fact]
    public async Task ApiResponses_CarryNoSniffAndNoFraming()
    {
        var tenant = await Data.TenantAsync("Acme");
        var key = await Data.ApiKeyAsync(tenant);
        var client = Client("203.0.113.14");
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Plaintext);

        foreach (var response in new[] { await client.GetAsync("/api/v1/tenant"), await client.GetAsync("/api/v1/events/not-an-id"), await Client("203.0.113.15").GetAsync("/api/v1/tenant") })
        {
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
            Assert.False(response.Headers.Contains("Referrer-Policy"));
        }
    }

    [Fact]
    public async Task SignIn_TooManyAttemptsFromOneAddress_429WithRetryAfterAndAccountsUntouched()
    {
        await Data.UserAsync("target@acme.example");
        var attacker = Client("198.51.100.7");

        // Different accounts each time: the per-account lockout never triggers, the per-address throttle must.
        for (var i = 0; i < HardenedHubFixture.LoginAttemptsPerMinute; i++)
        {
            var attempt = await SubmitLoginAsync(attacker, $"guess{i}@acme.example", "wrong-Password-123");
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
        }

        var refused = await SubmitLoginAsync(attacker, "target@acme.example", TestData.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(refused.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("hub.auth=", StringComparison.Ordinal)));

        // Another address signs the same account in: the throttle is per address and refused attempts did not count against it.
        var owner = Client("198.51.100.8");
        await SignInAsync(owner, "target@acme.example");
        await using var scope = Hub.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>().FindByEmailAsync("target@acme.example");
        Assert.Equal(0, user!.AccessFailedCount);
    }

    [Fact]
    public async Task PasswordPolicy_ShortPasswordOnInviteLink_RefusedWithTheRule()
    {
        await Data.UserAsync("invitee@acme.example");
        string token;
        await using (var scope = Hub.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
            token = await users.GeneratePasswordResetTokenAsync((await users.FindByEmailAsync("invitee@acme.example"))!);
        }

        var client = Client("203.0.113.16");
        var url = $"/account/reset?email=invitee%40acme.example&token={Uri.EscapeDataString(token)}";
        var form = new Dictionary<string, string> { ["Email"] = "invitee@acme.example", ["Token"] = token, ["Password"] = "short1A", ["ConfirmPassword"] = "short1A" };
        var response = await SubmitAsync(client, url, "/account/reset", form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("at least 12 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnhandledException_ProblemDetailsWithoutMessageStackOrSecret()
    {
        foreach (var accept in new[] { "application/json", "text/html" })
        {
            var client = Client("203.0.113.17");
            client.DefaultRequestHeaders.Accept.ParseAdd(accept);

            var response = await client.GetAsync(HardenedHubFixture.ThrowingPath);

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(HardenedHubFixture.SecretInException, body, StringComparison.Ordinal);
            Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnhandledException_BrowserGetsAPageWithTheReference_NotTheError()
    {
        var client = Client("203.0.113.18");
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        var response = await client.GetAsync(HardenedHubFixture.ThrowingPath);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong on the hub&#x27;s side", body, StringComparison.Ordinal);
        Assert.Matches("reference <code>00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]</code>", body);
        Assert.DoesNotContain(HardenedHubFixture.SecretInException, body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private HttpClient Client(string address, string scheme = "https")
    {
        var client = Hub.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri($"{scheme}://hub.example/"),
            AllowAutoRedirect = false,
            HandleCookies = true,
        });
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string formPage, string action, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(formPage);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    private static Task<HttpResponseMessage> SubmitLoginAsync(HttpClient client, string email, string password) =>
        SubmitAsync(client, "/account/login", "/account/login", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });

    private static async Task SignInAsync(HttpClient client, string email)
    {
        var response = await SubmitLoginAsync(client, email, TestData.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static void AssertFlags(string setCookie, string sameSite)
    {
        var attributes = setCookie.Split(';').Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains(sameSite, attributes);
    }
}
