using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.CrispSettings;

/// <summary>
/// The page Crisp frames in its dashboard (<c>/crisp/settings?website_id=…&amp;token=…</c>), against a live hub and
/// the simulator as Crisp: token check, framing policy, saving (locally and back to Crisp), secrets, account link.
/// </summary>
public sealed class CrispSettingsPageTests(LiveHubFixture live) : LiveHubTestBase(live), IClassFixture<LiveHubFixture>
{
    private const string CrispFrameAncestors = "frame-ancestors https://app.crisp.chat";

    [Fact]
    public async Task Show_RightToken_200FramableByCrispOnly()
    {
        var (id, token) = await InstalledAsync("Acme");

        var response = await Live.CreateClient().GetAsync(PageUrl(id, token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains(CrispFrameAncestors, csp, StringComparison.Ordinal);
        Assert.DoesNotContain("'none'", csp, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Frame-Options"));
        Assert.Contains("IntegrationHub for", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The page holds the subscription token: never kept by a cache.
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        var saved = await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token, ("RateBudgetPerMinute", "30")));
        Assert.True(saved.Headers.CacheControl?.NoStore, "Cache-Control: no-store after a save");
    }

    [Fact]
    public async Task Show_WrongMissingForeignUnknownOrUninstalled_Same403Page()
    {
        var (id, token) = await InstalledAsync("Acme");
        var (otherId, otherToken) = await InstalledAsync("Other");
        var (goneId, goneToken) = await InstalledAsync("Gone");
        Simulator.Commands.UninstallWebsite(goneId.ToString("D"));
        await Live.WaitForTenantAsync(goneId, TenantStatus.Uninstalled);
        var client = Live.CreateClient();
        var urls = new[]
        {
            PageUrl(id, token[..^1] + (token[^1] == 'a' ? 'b' : 'a')), // wrong by one character
            PageUrl(id, token + "x"), // right token plus one character
            PageUrl(id, token[..^1]), // right token minus one character
            $"/crisp/settings?website_id={id:D}", // missing token
            $"/crisp/settings?website_id={id:D}&token=",
            PageUrl(id, otherToken), // another website's token
            PageUrl(Guid.NewGuid(), token), // unknown website
            PageUrl(goneId, goneToken), // uninstalled: its own token no longer opens it
            $"/crisp/settings?website_id=not-a-uuid&token={Uri.EscapeDataString(token)}",
            "/crisp/settings",
            PageUrl(id, new string('x', 5000)),
        };

        var bodies = new List<string>();
        foreach (var url in urls)
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        var posted = await client.PostAsync("/crisp/settings", Form(id, otherToken, ("RateBudgetPerMinute", "10")));
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        bodies.Add(await posted.Content.ReadAsStringAsync());

        Assert.Single(bodies.Distinct());
        Assert.DoesNotContain("Acme", bodies[0], StringComparison.Ordinal);
        Assert.DoesNotContain(id.ToString("D"), bodies[0], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("{}", (await Live.FindTenantAsync(id))!.SettingsJson);
        Assert.NotNull(await Live.FindTenantAsync(otherId));
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/")]
    [InlineData("/health/live")]
    [InlineData("/no-such-page")]
    public async Task OtherPages_AnyResponse_RefuseFraming(string path)
    {
        var response = await Live.CreateClient().GetAsync(path);

        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Contains("frame-ancestors 'none'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_ValidSettings_StoredLocallyAndWrittenBackWithSubscriptionSettingsRoute()
    {
        var (id, token) = await InstalledAsync("Acme", new JsonObject { ["kept_from_crisp"] = "yes" });
        Simulator.State.ClearJournal();

        var response = await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token,
            ("DisplayName", "Acme Shop"),
            ("EventsEnabled", "true"),
            ("RelayEnabled", "false"),
            ("HelpdeskEnabled", "true"),
            ("AutoRepliesEnabled", "true"),
            ("RateBudgetPerMinute", "45")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Settings saved.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var tenant = (await Live.FindTenantAsync(id))!;
        Assert.Equal("Acme Shop", tenant.Name);
        var local = JsonNode.Parse(tenant.SettingsJson)!;
        Assert.Equal(45, local["rate_budget_per_minute"]!.GetValue<int>());
        Assert.False(local["features"]!["relay"]!.GetValue<bool>());
        Assert.True(local["features"]!["auto_replies"]!.GetValue<bool>());
        Assert.Equal("yes", local["kept_from_crisp"]!.GetValue<string>());

        var write = Assert.Single(Simulator.State.GetJournal(id.ToString("D")), e => e.Method == "PATCH");
        Assert.Equal($"/v1/plugins/subscription/{id:D}/{Simulator.Options.PluginId}/settings", write.Path);
        Assert.Equal(200, write.Status);
        var inCrisp = Simulator.State.Read(s => s.FindWebsite(id.ToString("D"))!.Settings.ToJsonString());
        Assert.Equal(45, JsonNode.Parse(inCrisp)!["rate_budget_per_minute"]!.GetValue<int>());
    }

    [Fact]
    public async Task Save_CrispRefusesTheWriteBack_QueuedAndTheNextFullSyncKeepsTheSave()
    {
        // Crisp answers 503 to the settings write (a 429 or an outage would do the same): the save must survive the
        // hourly full sync, which reads Crisp's copy back as the truth.
        var (id, token) = await InstalledAsync("Acme");
        RefuseSettingsWrites();

        var response = await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token,
            ("DisplayName", "Acme Shop"), ("EventsEnabled", "true"), ("RelayEnabled", "false"), ("HelpdeskEnabled", "true"), ("RateBudgetPerMinute", "45")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("delivery queue", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await Live.RunAsync<Features.Installations.InstallationSync, Features.Installations.InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));

        var tenant = (await Live.FindTenantAsync(id))!;
        Assert.Equal("Acme Shop", tenant.Name);
        Assert.Equal(45, JsonNode.Parse(tenant.SettingsJson)!["rate_budget_per_minute"]!.GetValue<int>());
        var (scope, db) = Live.OpenScope(id);
        await using (scope)
        {
            var write = await db.Set<Features.Delivery.CrispCall>().SingleAsync(c => c.Kind == Features.Delivery.CrispCallKinds.PluginSettingsUpdate);
            Assert.Equal(45, JsonNode.Parse(write.Payload)!["settings"]!["rate_budget_per_minute"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Save_WhileAnEarlierWriteBackIsQueued_QueuedBehindItNotWrittenPastIt()
    {
        // Written directly, the newer save reached Crisp first and the queued older one landed after it: Crisp (and,
        // through the next sync, the hub) ended with the older settings. Crisp refuses the older write (budget 45)
        // every time here, so it stays queued whatever the delivery workers do meanwhile.
        var (id, token) = await InstalledAsync("Acme");
        RefuseSettingsWrites(body => body.Contains("\"rate_budget_per_minute\":45", StringComparison.Ordinal));
        await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token, ("RateBudgetPerMinute", "45")));

        var response = await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token, ("RateBudgetPerMinute", "60")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("after it", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Simulator.State.GetJournal(id.ToString("D")), e => e.Method == "PATCH" && e.Status is >= 200 and < 300);
        var (scope, db) = Live.OpenScope(id);
        await using (scope)
        {
            var writes = await db.Set<Features.Delivery.CrispCall>().Where(c => c.Kind == Features.Delivery.CrispCallKinds.PluginSettingsUpdate)
                .OrderBy(c => c.Id).Select(c => new { c.Payload, c.OrderingKey }).ToListAsync();
            Assert.Equal([45, 60], writes.Select(w => JsonNode.Parse(w.Payload)!["settings"]!["rate_budget_per_minute"]!.GetValue<int>()));
            Assert.All(writes, w => Assert.Equal(Features.Delivery.CrispCallOutbox.PluginSettingsOrderingKey, w.OrderingKey));
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("121")]
    [InlineData("100000")]
    public async Task Save_BudgetOutsideHubLimits_RefusedWithMessageAndNothingStored(string budget)
    {
        var (id, token) = await InstalledAsync("Acme");
        Simulator.State.ClearJournal();

        var response = await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token, ("RateBudgetPerMinute", budget), ("DisplayName", "Renamed")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Nothing was saved", html, StringComparison.Ordinal);
        Assert.Contains("Choose between 7 and 120 calls per minute.", html, StringComparison.Ordinal);
        var tenant = (await Live.FindTenantAsync(id))!;
        Assert.Equal("{}", tenant.SettingsJson);
        Assert.NotEqual("Renamed", tenant.Name);
        Assert.DoesNotContain(Simulator.State.GetJournal(id.ToString("D")), e => e.Method is "PATCH" or "PUT");
    }

    [Theory]
    [InlineData("Acme\tcorp", "No tabs, line breaks or other control characters.")]
    [InlineData("Acme\r\nfake", "No tabs, line breaks or other control characters.")]
    [InlineData("Acme", "The field DisplayName must be a string with a maximum length of 200.", 201)]
    public async Task Save_DisplayNameWithControlCharactersOrTooLong_RefusedNextToTheFieldAndNothingStored(string name, string message, int length = 0)
    {
        var (id, token) = await InstalledAsync("Acme");
        Simulator.State.ClearJournal();
        name = name.PadRight(length, 'x');

        var response = await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token, ("RateBudgetPerMinute", "30"), ("DisplayName", name)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Nothing was saved: fix the fields marked below.", html, StringComparison.Ordinal);
        Assert.Contains($"<div class=\"field-error\">{message}</div>", html, StringComparison.Ordinal);
        var tenant = (await Live.FindTenantAsync(id))!;
        Assert.Equal(("{}", false), (tenant.SettingsJson, tenant.Name == name));
        Assert.DoesNotContain(Simulator.State.GetJournal(id.ToString("D")), e => e.Method is "PATCH" or "PUT");
    }

    [Theory]
    [InlineData("DisplayName")]
    [InlineData("Token")]
    [InlineData("LinkEmail")]
    public async Task Save_NulCharacterInAField_400AndNothingStoredOrSent(string field)
    {
        var (id, token) = await InstalledAsync("Acme");
        Simulator.State.ClearJournal();
        var fields = new Dictionary<string, string> { ["WebsiteId"] = id.ToString("D"), ["Token"] = token, ["DisplayName"] = "Renamed", ["RateBudgetPerMinute"] = "30" };
        fields[field] = fields.GetValueOrDefault(field, "x") + "\0";

        var response = await Live.CreateClient().PostAsync("/crisp/settings", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Not available", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var tenant = (await Live.FindTenantAsync(id))!;
        Assert.Equal(("{}", false), (tenant.SettingsJson, tenant.Name == "Renamed"));
        Assert.DoesNotContain(Simulator.State.GetJournal(id.ToString("D")), e => e.Method is "PATCH" or "PUT");
    }

    [Fact]
    public async Task Save_WebsiteToken_StoredEncryptedAndNeverShownOrSentBack()
    {
        var (id, token) = await InstalledAsync("Acme");
        var websiteToken = Simulator.Commands.MintWebsiteToken(id.ToString("D"));
        var client = Live.CreateClient();

        var saved = await client.PostAsync("/crisp/settings", Form(id, token,
            ("RateBudgetPerMinute", "30"), ("WebsiteTokenIdentifier", websiteToken.Identifier), ("WebsiteTokenKey", websiteToken.Key)));
        var shownAgain = await client.GetStringAsync(PageUrl(id, token));

        var savedHtml = await saved.Content.ReadAsStringAsync();
        Assert.Contains("Settings saved.", savedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(websiteToken.Key, savedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(websiteToken.Key, shownAgain, StringComparison.Ordinal);
        Assert.Contains("A website token is stored (encrypted)", shownAgain, StringComparison.Ordinal);
        Assert.DoesNotContain(Simulator.State.GetJournal(), e => e.Body.Contains(websiteToken.Key, StringComparison.Ordinal));

        var (scope, db) = Live.OpenScope(id);
        await using (scope)
        {
            var rows = await db.Set<TenantSecret>().AsNoTracking().ToListAsync();
            Assert.Contains(rows, r => r.Name == SecretNames.WebsiteToken);
            Assert.All(rows, r => Assert.DoesNotContain(websiteToken.Key, r.Ciphertext, StringComparison.Ordinal));
            Assert.DoesNotContain(websiteToken.Key, (await db.Tenants.SingleAsync()).SettingsJson, StringComparison.Ordinal);
            var stored = JsonNode.Parse((await scope.ServiceProvider.GetRequiredService<TenantSecrets>().GetAsync(SecretNames.WebsiteToken, CancellationToken.None))!)!;
            Assert.Equal(websiteToken.Identifier, stored["identifier"]!.GetValue<string>());
            Assert.Equal(websiteToken.Key, stored["key"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Save_WebsiteTokenIdentifierWithoutKey_Refused()
    {
        var (id, token) = await InstalledAsync("Acme");

        var response = await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token, ("RateBudgetPerMinute", "30"), ("WebsiteTokenIdentifier", "some-identifier")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("needs both its identifier and its key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (scope, db) = Live.OpenScope(id);
        await using (scope)
        {
            Assert.False(await db.Set<TenantSecret>().AnyAsync(s => s.Name == SecretNames.WebsiteToken));
        }
    }

    [Fact]
    public async Task Save_LinkNewAddress_PasswordlessOwnerAndOneTimeLink_TypedPasswordNeverSet()
    {
        var (id, token) = await InstalledAsync("Acme");

        // This used to create the account with the typed password, its email marked confirmed: anyone with a
        // settings page could take an address before its owner did.
        var response = await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token,
            ("RateBudgetPerMinute", "30"), ("LinkEmail", "admin@acme.example"), ("LinkPassword", "Attacker-Chosen-Pw1")));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("admin@acme.example", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Attacker-Chosen-Pw1", html, StringComparison.Ordinal);
        await using (var scope = Live.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
            var user = await users.FindByEmailAsync("admin@acme.example");
            Assert.NotNull(user);
            Assert.False(user.EmailConfirmed);
            Assert.False(await users.HasPasswordAsync(user));
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(id);
            var membership = await scope.ServiceProvider.GetRequiredService<IntegrationHub.Web.Infrastructure.Data.HubDbContext>().Memberships.SingleAsync();
            Assert.Equal(user.Id, membership.UserId);
            Assert.Equal(TenantRole.Owner, membership.Role);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => Browser.SignInAsync(Live.CreateClient(), "admin@acme.example", "Attacker-Chosen-Pw1"));

        // The one-time link on the page chooses the password; then the account signs in and sees the website.
        var link = new Uri(System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "id=\"invite-link\" type=\"text\" readonly value=\"([^\"]+)\"").Groups[1].Value));
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        var browser = Live.CreateClient();
        var set = await Browser.SubmitAsync(browser, link.PathAndQuery, "/account/reset", new Dictionary<string, string>
        {
            ["Email"] = query["email"]!, ["Token"] = query["token"]!, ["Website"] = query["website"]!, ["Role"] = query["role"]!,
            ["Password"] = TestData.Password, ["ConfirmPassword"] = TestData.Password,
        });
        Assert.Contains("Password set", await set.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Browser.SignInAsync(browser, "admin@acme.example");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/t/{id:D}")).StatusCode);
    }

    [Fact]
    public async Task Save_LinkAnotherPersonsAddress_ThenTheirWebsiteInvitesIt_NoAccessForWhoeverLinkedIt()
    {
        // The probe: an attacker's own settings page "links" the victim's address with a password of their choosing.
        var (attackerSite, attackerToken) = await InstalledAsync("Attacker");
        await Live.CreateClient().PostAsync("/crisp/settings", Form(attackerSite, attackerToken,
            ("RateBudgetPerMinute", "30"), ("LinkEmail", "victim@corp.example"), ("LinkPassword", "Attacker-Chosen-Pw1")));

        // Later the victim's own website invites the address.
        var (victimSite, _) = await InstalledAsync("Victim Corp");
        await Data.UserAsync("owner@victim.example", victimSite, TenantRole.Owner);
        var owner = Live.CreateClient();
        await Browser.SignInAsync(owner, "owner@victim.example");
        var members = $"/t/{victimSite:D}/members";
        var invited = await Browser.SubmitAsync(owner, members, members, new Dictionary<string, string> { ["email"] = "victim@corp.example", ["role"] = "Owner" });
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);

        // The chosen password opens nothing, and the victim's website is not reachable through the account.
        await Assert.ThrowsAnyAsync<Exception>(() => Browser.SignInAsync(Live.CreateClient(), "victim@corp.example", "Attacker-Chosen-Pw1"));
        await using var scope = Live.Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>().FindByEmailAsync("victim@corp.example"))!;
        Assert.False(user.EmailConfirmed);
        Assert.False(await scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>().HasPasswordAsync(user));
        var (victimScope, victimDb) = Live.OpenScope(victimSite);
        await using (victimScope)
        {
            Assert.False(await victimDb.Memberships.AnyAsync(m => m.UserId == user.Id));
        }
    }

    [Theory]
    [InlineData(TenantRole.Viewer)]
    [InlineData(TenantRole.Editor)]
    public async Task Save_LinkAccountThatIsAlreadyALesserMember_BecomesOwner(TenantRole role)
    {
        var (id, token) = await InstalledAsync("Acme");
        var userId = await Data.UserAsync("staff@acme.example", id, role);

        var response = await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token,
            ("RateBudgetPerMinute", "30"), ("LinkEmail", "staff@acme.example"), ("LinkPassword", TestData.Password)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Settings saved.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (scope, db) = Live.OpenScope(id);
        await using (scope)
        {
            var membership = await db.Memberships.AsNoTracking().SingleAsync();
            Assert.Equal((userId, TenantRole.Owner), (membership.UserId, membership.Role));
        }
    }

    [Fact]
    public async Task Save_LinkExistingAccountWithWrongPassword_NotLinked()
    {
        var (id, token) = await InstalledAsync("Acme");
        await Data.UserAsync("someone@else.example");

        var response = await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token,
            ("RateBudgetPerMinute", "30"), ("LinkEmail", "someone@else.example"), ("LinkPassword", "Not-The-Password-1")));

        Assert.Contains("The account was not linked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (scope, db) = Live.OpenScope(id);
        await using (scope)
        {
            Assert.False(await db.Memberships.AnyAsync());
        }
    }

    [Fact]
    public async Task Save_LinkExistingAccount_WrongPasswordsCountAndLockIt_RightPasswordThenRefusedTheSameWay()
    {
        var (id, token) = await InstalledAsync("Acme");
        var userId = await Data.UserAsync("someone@else.example");
        var client = Live.CreateClient();
        async Task<string> LinkAsync(string password) => await (await client.PostAsync("/crisp/settings", Form(id, token,
            ("RateBudgetPerMinute", "30"), ("LinkEmail", "someone@else.example"), ("LinkPassword", password)))).Content.ReadAsStringAsync();

        var lockoutAfter = Live.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.Lockout.MaxFailedAccessAttempts;
        var wrongAnswers = new List<string>();
        for (var i = 1; i < lockoutAfter; i++)
        {
            wrongAnswers.Add(NotLinkedMessage(await LinkAsync($"Wrong-Password-{i}")));
            Assert.Equal(i, (await FindUserAsync(userId)).AccessFailedCount);
        }

        wrongAnswers.Add(NotLinkedMessage(await LinkAsync($"Wrong-Password-{lockoutAfter}")));
        var user = await FindUserAsync(userId);
        Assert.NotNull(user.LockoutEnd);
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow);

        // Locked: the right password is refused too, with the very same words as every wrong one.
        var lockedAnswer = NotLinkedMessage(await LinkAsync(TestData.Password));
        Assert.Single(wrongAnswers.Append(lockedAnswer).Distinct());
        Assert.Contains("The account was not linked", lockedAnswer, StringComparison.Ordinal);
        var (scope, db) = Live.OpenScope(id);
        await using (scope)
        {
            Assert.False(await db.Memberships.AnyAsync());
        }

        // The sign-in page sees the same lockout: the guesses here counted against the account.
        var browser = Live.CreateClient();
        await Assert.ThrowsAnyAsync<Exception>(() => Browser.SignInAsync(browser, "someone@else.example"));
    }

    [Fact]
    public async Task SettingsSavedHook_SavedInCrispDashboard_UpdatesLocalCopy()
    {
        var (id, _) = await InstalledAsync("Acme");

        await SaveInCrispDashboardAsync(id);

        var tenant = await Eventually.UntilAsync(
            () => Live.FindTenantAsync(id),
            t => t is not null && t.SettingsJson.Contains("77", StringComparison.Ordinal),
            "the settings hook to update the local copy");
        Assert.False(JsonNode.Parse(tenant!.SettingsJson)!["features"]!["events"]!.GetValue<bool>());
        Assert.Equal(TenantStatus.Active, tenant.Status);
    }

    [Fact]
    public async Task SettingsSavedHook_AdminSavesInCrispWhileTheHubsWriteBackIsQueued_AdminsNewerSaveWins()
    {
        // The hub's save could not reach Crisp (503) and waits in the delivery queue; then the admin saves in Crisp's
        // own dashboard. The queued write must not be sent over that newer save, nor the hook be ignored for it.
        var (id, token) = await InstalledAsync("Acme");
        RefuseSettingsWrites();
        var saved = await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token, ("RateBudgetPerMinute", "45"), ("EventsEnabled", "true")));
        Assert.Contains("delivery queue", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await SaveInCrispDashboardAsync(id);

        var tenant = await Eventually.UntilAsync(
            () => Live.FindTenantAsync(id),
            t => t is not null && t.SettingsJson.Contains("77", StringComparison.Ordinal),
            "the admin's newer save in Crisp to update the local copy");
        Assert.False(JsonNode.Parse(tenant!.SettingsJson)!["features"]!["events"]!.GetValue<bool>());
        var (scope, db) = Live.OpenScope(id);
        await using (scope)
        {
            var write = await db.Set<Features.Delivery.CrispCall>().AsNoTracking().SingleAsync(c => c.Kind == Features.Delivery.CrispCallKinds.PluginSettingsUpdate);
            Assert.Equal((Features.Delivery.CrispCallStatus.Sent, "superseded"), (write.Status, write.LastReason));
        }
    }

    [Fact]
    public async Task SettingsSavedHook_OlderThanTheHubsQueuedWriteBack_IgnoredAndTheWriteStaysQueued()
    {
        // A settings hook Crisp delivers late, for a save made before the hub's: the hub's save is the newer one.
        var (id, token) = await InstalledAsync("Acme");
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        RefuseSettingsWrites();
        await Live.CreateClient().PostAsync("/crisp/settings", Form(id, token, ("RateBudgetPerMinute", "45"), ("EventsEnabled", "true")));

        await Live.Services.GetRequiredService<Features.Installations.InstallationLifecycle>().InstallOrUpdateAsync(
            new Features.Installations.CrispInstall(id, null, new JsonObject { ["rate_budget_per_minute"] = 77 }, before), CancellationToken.None);

        Assert.Equal(45, JsonNode.Parse((await Live.FindTenantAsync(id))!.SettingsJson)!["rate_budget_per_minute"]!.GetValue<int>());
        var (scope, db) = Live.OpenScope(id);
        await using (scope)
        {
            var write = await db.Set<Features.Delivery.CrispCall>().AsNoTracking().SingleAsync(c => c.Kind == Features.Delivery.CrispCallKinds.PluginSettingsUpdate);
            Assert.NotEqual(Features.Delivery.CrispCallStatus.Sent, write.Status);
        }
    }

    private async Task<HubUser> FindUserAsync(string userId)
    {
        await using var scope = Live.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>().FindByIdAsync(userId))!;
    }

    private static string NotLinkedMessage(string html) =>
        System.Text.RegularExpressions.Regex.Match(html, "<div class=\"notice error\" role=\"status\">([^<]*)</div>").Groups[1].Value;

    /// <summary>The website's admin saves budget 77 and events off in Crisp's own dashboard (Crisp sends plugin:settings:saved).</summary>
    private async Task SaveInCrispDashboardAsync(Guid id)
    {
        var response = await Simulator.Admin.PutAsync($"websites/{id:D}/settings", System.Net.Http.Json.JsonContent.Create(new JsonObject
        {
            ["settings"] = new JsonObject { ["rate_budget_per_minute"] = 77, ["features"] = new JsonObject { ["events"] = false } },
        }));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Crisp answers 503 to settings writes (those whose body <paramref name="only"/> picks, else all): a write-back that has to queue.</summary>
    private void RefuseSettingsWrites(Func<string, bool>? only = null) => Simulator.Intercept(async context =>
    {
        if (context.Request.Method != "PATCH" || !context.Request.Path.Value!.EndsWith("/settings", StringComparison.Ordinal))
        {
            return false;
        }

        if (only is not null)
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            if (!only(body))
            {
                return false;
            }
        }

        context.Response.StatusCode = 503;
        await context.Response.WriteAsync("{\"error\":true,\"reason\":\"service_unavailable\",\"data\":{}}");
        return true;
    });

    private async Task<(Guid Id, string Token)> InstalledAsync(string name, JsonObject? settings = null)
    {
        var website = Simulator.Install(name, settings: settings);
        var id = Guid.Parse(website.WebsiteId);
        await Live.WaitForTenantAsync(id);
        return (id, website.SubscriptionToken);
    }

    private static string PageUrl(Guid websiteId, string token) =>
        $"/crisp/settings?website_id={websiteId:D}&token={Uri.EscapeDataString(token)}&locale=en";

    private static FormUrlEncodedContent Form(Guid websiteId, string token, params (string Name, string Value)[] fields) =>
        new([
            new("WebsiteId", websiteId.ToString("D")),
            new("Token", token),
            .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)),
        ]);
}
