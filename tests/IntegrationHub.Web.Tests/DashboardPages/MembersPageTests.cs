using System.Net;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.DashboardPages;

public abstract class MembersPageTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    [Fact]
    public async Task Invite_ExistingAndNewEmail_SameMessage_NewBecomesMember_ExistingOnlyWhenItAcceptsWithItsPassword()
    {
        var tenant = await Data.TenantAsync("Acme");
        var other = await Data.TenantAsync("Globex");
        await Data.UserAsync("known@example.com", other, TenantRole.Owner);
        var client = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);
        var members = $"/t/{tenant:D}/members";

        var known = await PostAsync(client, members, members, ("email", "known@example.com"), ("role", "Editor"));
        var fresh = await PostAsync(client, members, members, ("email", "fresh@example.com"), ("role", "Editor"));

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        var knownHtml = await known.Content.ReadAsStringAsync();
        var freshHtml = await fresh.Content.ReadAsStringAsync();
        Assert.Equal(Normalize(knownHtml, "known@example.com"), Normalize(freshHtml, "fresh@example.com"));

        // The new (passwordless) account is a member at once; an existing account only once it accepts (it used to be
        // added on the owner's word alone, which handed websites to whoever had created an account for the address).
        Assert.Equal(TenantRole.Editor, await RoleAsync(tenant, "fresh@example.com"));
        Assert.Null(await RoleAsync(tenant, "known@example.com"));

        var audit = await AuditAsync(tenant);
        Assert.Equal(["known@example.com", "fresh@example.com"], audit.Where(a => a.Action == "member.invited").Select(a => a.Target!).ToList());

        // The new account sets its password with the link, then signs in and sees the website.
        var anonymous = Hub.CreateBrowser();
        var freshLink = new Uri(Link(freshHtml));
        var setPassword = await PostAsync(anonymous, freshLink.PathAndQuery, "/account/reset", Fields(freshLink, "fresh@example.com", "A-new-Passw0rd-1"));
        Assert.Equal(HttpStatusCode.OK, setPassword.StatusCode);
        Assert.Contains("Password set", await setPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var freshClient = await SignInAsync("fresh@example.com", "A-new-Passw0rd-1");
        Assert.Equal(HttpStatusCode.OK, (await freshClient.GetAsync($"/t/{tenant:D}/deliveries")).StatusCode);

        // The link works once.
        var reused = await PostAsync(anonymous, freshLink.PathAndQuery, "/account/reset", Fields(freshLink, "fresh@example.com", "Another-Passw0rd-2"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);

        // The existing account's link cannot change its password: the owner cannot take it over, nor accept for it.
        var knownLink = new Uri(Link(knownHtml));
        var takeover = await PostAsync(anonymous, knownLink.PathAndQuery, "/account/reset", Fields(knownLink, "known@example.com", "Hijacked-Passw0rd"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, takeover.StatusCode);
        Assert.Contains("This link is not valid any more", await takeover.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await RoleAsync(tenant, "known@example.com"));

        // Its holder accepts with the account's own password; the link then works no more.
        var accepted = await PostAsync(anonymous, knownLink.PathAndQuery, "/account/reset", Fields(knownLink, "known@example.com", TestData.Password));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(TenantRole.Editor, await RoleAsync(tenant, "known@example.com"));
        var knownClient = await SignInAsync("known@example.com");
        Assert.Equal(HttpStatusCode.OK, (await knownClient.GetAsync($"/t/{tenant:D}/members")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(anonymous, knownLink.PathAndQuery, "/account/reset", Fields(knownLink, "known@example.com", TestData.Password))).StatusCode);
    }

    [Fact]
    public async Task Invite_AccountSomeoneElseCreatedForTheAddress_GetsNoMembershipOnTheInvitersWord()
    {
        // An owner of another website invites the victim's address first and uses the link themselves: the account
        // now exists with the attacker's password.
        var attackerSite = await Data.TenantAsync("Attacker");
        var attacker = await MemberAsync(attackerSite, "attacker@evil.example", TenantRole.Owner);
        var attackerMembers = $"/t/{attackerSite:D}/members";
        var planted = new Uri(Link(await (await PostAsync(attacker, attackerMembers, attackerMembers, ("email", "victim@corp.example"), ("role", "Viewer"))).Content.ReadAsStringAsync()));
        var anonymous = Hub.CreateBrowser();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(anonymous, planted.PathAndQuery, "/account/reset", Fields(planted, "victim@corp.example", "Attacker-Chosen-Pw1"))).StatusCode);

        // The victim's real employer invites the address.
        var tenant = await Data.TenantAsync("Acme");
        var owner = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);
        var members = $"/t/{tenant:D}/members";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(owner, members, members, ("email", "victim@corp.example"), ("role", "Owner"))).StatusCode);

        Assert.Null(await RoleAsync(tenant, "victim@corp.example"));
        var asAttacker = await SignInAsync("victim@corp.example", "Attacker-Chosen-Pw1");
        Assert.Equal(HttpStatusCode.NotFound, (await asAttacker.GetAsync(members)).StatusCode);
        // The attacker's own, older link is no key to the new invitation either.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(anonymous, planted.PathAndQuery, "/account/reset",
            ("Email", "victim@corp.example"), ("Token", Token(planted)), ("Website", tenant.ToString("D")), ("Role", "Owner"),
            ("Password", "Attacker-Chosen-Pw1"), ("ConfirmPassword", "Attacker-Chosen-Pw1"))).StatusCode);
        Assert.Null(await RoleAsync(tenant, "victim@corp.example"));
    }

    [Fact]
    public async Task Invite_AddressWithAPendingInvitationElsewhere_CannotBeGivenAPasswordThroughAnotherWebsitesLink()
    {
        // Acme invites a new address: a passwordless account, already a member of Acme, waiting for its holder.
        var tenant = await Data.TenantAsync("Acme");
        var owner = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);
        var members = $"/t/{tenant:D}/members";
        var victimLink = new Uri(Link(await (await PostAsync(owner, members, members, ("email", "victim@corp.example"), ("role", "Owner"))).Content.ReadAsStringAsync()));

        // The owner of another website invites the same address and uses that link themselves, choosing a password.
        var attackerSite = await Data.TenantAsync("Attacker");
        var attacker = await MemberAsync(attackerSite, "attacker@evil.example", TenantRole.Owner);
        var attackerMembers = $"/t/{attackerSite:D}/members";
        var planted = new Uri(Link(await (await PostAsync(attacker, attackerMembers, attackerMembers, ("email", "victim@corp.example"), ("role", "Viewer"))).Content.ReadAsStringAsync()));
        var anonymous = Hub.CreateBrowser();
        var takeover = await PostAsync(anonymous, planted.PathAndQuery, "/account/reset", Fields(planted, "victim@corp.example", "Attacker-Chosen-Pw1"));

        // It used to give the account the attacker's password: signed in as it, they owned Acme.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, takeover.StatusCode);
        Assert.Contains("This link is not valid any more", await takeover.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var signIn = await PostAsync(Hub.CreateBrowser(), "/account/login", "/account/login", ("Email", "victim@corp.example"), ("Password", "Attacker-Chosen-Pw1"));
        Assert.Contains("Sign-in failed", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await RoleAsync(attackerSite, "victim@corp.example"));

        // The invitee's own link still works; once they have a password, a new invitation from the other website is
        // accepted with it as for any account.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(anonymous, victimLink.PathAndQuery, "/account/reset", Fields(victimLink, "victim@corp.example", "Victims-Own-Passw0rd"))).StatusCode);
        var victim = await SignInAsync("victim@corp.example", "Victims-Own-Passw0rd");
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync(members)).StatusCode);
        var again = new Uri(Link(await (await PostAsync(attacker, attackerMembers, attackerMembers, ("email", "victim@corp.example"), ("role", "Viewer"))).Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(anonymous, again.PathAndQuery, "/account/reset", Fields(again, "victim@corp.example", "Attacker-Chosen-Pw1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(anonymous, again.PathAndQuery, "/account/reset", Fields(again, "victim@corp.example", "Victims-Own-Passw0rd"))).StatusCode);
        Assert.Equal(TenantRole.Viewer, await RoleAsync(attackerSite, "victim@corp.example"));
    }

    [Fact]
    public async Task PendingInvitations_ListedOnTheMembersPage_AndRevokedLinksStopWorking()
    {
        var tenant = await Data.TenantAsync("Acme");
        var other = await Data.TenantAsync("Globex");
        await Data.UserAsync("known@example.com", other, TenantRole.Owner);
        var client = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);
        var members = $"/t/{tenant:D}/members";
        var knownLink = new Uri(Link(await (await PostAsync(client, members, members, ("email", "known@example.com"), ("role", "Editor"))).Content.ReadAsStringAsync()));
        var freshLink = new Uri(Link(await (await PostAsync(client, members, members, ("email", "fresh@example.com"), ("role", "Viewer"))).Content.ReadAsStringAsync()));

        // Both kinds are listed alike, with who sent them; a member of the website sees them, a viewer cannot revoke.
        var page = await client.GetStringAsync(members);
        var pending = Regex.Matches(page, "<tr>\\s*<td>([^<]+)</td>\\s*<td>(\\w+)</td>\\s*<td>owner@acme.example</td>").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal([("fresh@example.com", "Viewer"), ("known@example.com", "Editor")], pending);
        var viewer = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var viewerPage = await viewer.GetStringAsync(members);
        Assert.Contains("known@example.com", viewerPage, StringComparison.Ordinal);
        Assert.DoesNotContain("/revoke\"", viewerPage, StringComparison.Ordinal);
        var knownRevoke = RevokeAction(page, "known@example.com");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(viewer, members, knownRevoke)).StatusCode);
        // Another website's owner cannot reach them through their own website's route.
        var third = await Data.TenantAsync("Initech");
        var outsider = await MemberAsync(third, "owner@initech.example", TenantRole.Owner);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(outsider, $"/t/{third:D}/members", knownRevoke.Replace(tenant.ToString("D"), third.ToString("D"), StringComparison.Ordinal))).StatusCode);
        Assert.DoesNotContain("known@example.com", await outsider.GetStringAsync($"/t/{third:D}/members"), StringComparison.Ordinal);

        var revoked = await FollowAsync(client, await PostAsync(client, members, knownRevoke));
        Assert.Contains("The invitation of known@example.com is revoked", revoked, StringComparison.Ordinal);
        await FollowAsync(client, await PostAsync(client, members, RevokeAction(revoked, "fresh@example.com")));

        var after = await client.GetStringAsync(members);
        Assert.DoesNotContain("known@example.com", after, StringComparison.Ordinal);
        Assert.DoesNotContain("fresh@example.com", after, StringComparison.Ordinal);
        Assert.Null(await RoleAsync(tenant, "fresh@example.com"));
        var anonymous = Hub.CreateBrowser();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(anonymous, knownLink.PathAndQuery, "/account/reset", Fields(knownLink, "known@example.com", TestData.Password))).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(anonymous, freshLink.PathAndQuery, "/account/reset", Fields(freshLink, "fresh@example.com", "A-new-Passw0rd-1"))).StatusCode);
        Assert.Null(await RoleAsync(tenant, "known@example.com"));
        Assert.Null(await RoleAsync(tenant, "fresh@example.com"));
        Assert.Equal(["known@example.com", "fresh@example.com"], (await AuditAsync(tenant)).Where(a => a.Action == "member.invitation_revoked").Select(a => a.Target!).ToList());

        // A new invitation works again, and once taken up it is no longer pending.
        var again = new Uri(Link(await (await PostAsync(client, members, members, ("email", "known@example.com"), ("role", "Editor"))).Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(anonymous, again.PathAndQuery, "/account/reset", Fields(again, "known@example.com", TestData.Password))).StatusCode);
        Assert.Equal(TenantRole.Editor, await RoleAsync(tenant, "known@example.com"));
        Assert.DoesNotContain("id=\"invitations\"", await client.GetStringAsync(members), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_InvalidEmailOrRole_Is422AndNothingChanges()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);
        var members = $"/t/{tenant:D}/members";

        var response = await PostAsync(client, members, members, ("email", "not-an-email"), ("role", "Admin"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Enter the email address", html, StringComparison.Ordinal);
        Assert.Contains("Choose Viewer, Editor or Owner.", html, StringComparison.Ordinal);

        var odd = await PostAsync(client, members, members, ("email", "o'brien@example.com"), ("role", "Viewer"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, odd.StatusCode);

        var again = await FollowAsync(client, await PostAsync(client, members, members, ("email", "OWNER@acme.example"), ("role", "Viewer")));
        Assert.Contains("already a member", again, StringComparison.Ordinal);
        Assert.Equal(TenantRole.Owner, await RoleAsync(tenant, "owner@acme.example"));
        Assert.Empty(await AuditAsync(tenant));
    }

    [Fact]
    public async Task ChangeRoleAndRemove_Owner_AppliedAndAudited()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);
        await Data.UserAsync("ed@acme.example", tenant, TenantRole.Viewer);
        var members = $"/t/{tenant:D}/members";
        var id = await MembershipIdAsync(tenant, "ed@acme.example");

        var changed = await FollowAsync(client, await PostAsync(client, members, $"{members}/{id:D}/role", ("role", "Editor")));
        Assert.Contains("ed@acme.example is now Editor.", changed, StringComparison.Ordinal);
        Assert.Equal(TenantRole.Editor, await RoleAsync(tenant, "ed@acme.example"));

        Assert.Contains("Remove member", await client.GetStringAsync($"{members}/{id:D}/remove"), StringComparison.Ordinal);
        var removed = await FollowAsync(client, await PostAsync(client, members, $"{members}/{id:D}/remove"));
        Assert.Contains("no longer has access", removed, StringComparison.Ordinal);
        Assert.Null(await RoleAsync(tenant, "ed@acme.example"));

        var audit = await AuditAsync(tenant);
        Assert.Equal(
            [("member.role_changed", "ed@acme.example", "Viewer → Editor"), ("member.removed", "ed@acme.example", "Editor")],
            audit.Select(a => (a.Action, a.Target!, a.Details!)).ToList());
        var removedClient = await SignInAsync("ed@acme.example");
        Assert.Equal(HttpStatusCode.NotFound, (await removedClient.GetAsync(members)).StatusCode);

        // An owner who is not the last one may leave; the answer then leads out of the website.
        await Data.UserAsync("second@acme.example", tenant, TenantRole.Owner);
        var self = await MembershipIdAsync(tenant, "owner@acme.example");
        var left = await PostAsync(client, members, $"{members}/{self:D}/remove");
        Assert.Equal("/", left.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(members)).StatusCode);
    }

    [Fact]
    public async Task LastOwner_CannotBeDemotedOrRemoved_UntilAnotherOwnerExists()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);
        var members = $"/t/{tenant:D}/members";
        var self = await MembershipIdAsync(tenant, "owner@acme.example");

        var demote = await PostAsync(client, members, $"{members}/{self:D}/role", ("role", "Editor"));
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Contains("The last owner cannot be demoted", await demote.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var remove = await PostAsync(client, members, $"{members}/{self:D}/remove");
        Assert.Equal(HttpStatusCode.Conflict, remove.StatusCode);
        Assert.Equal(TenantRole.Owner, await RoleAsync(tenant, "owner@acme.example"));
        Assert.Empty(await AuditAsync(tenant));

        await Data.UserAsync("second@acme.example", tenant, TenantRole.Owner);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(client, members, $"{members}/{self:D}/role", ("role", "Editor"))).StatusCode);
        Assert.Equal(TenantRole.Editor, await RoleAsync(tenant, "owner@acme.example"));
    }

    [Fact]
    public async Task TwoOwnersDemotingOrRemovingEachOtherAtOnce_LeaveTheWebsiteAnOwner()
    {
        // Each used to see the other still an owner, and both changes went through: a website nobody could manage.
        var tenant = await Data.TenantAsync("Acme");
        var members = $"/t/{tenant:D}/members";
        var first = await MemberAsync(tenant, "first@acme.example", TenantRole.Owner);
        var second = await MemberAsync(tenant, "second@acme.example", TenantRole.Owner);
        var firstId = await MembershipIdAsync(tenant, "first@acme.example");
        var secondId = await MembershipIdAsync(tenant, "second@acme.example");
        var firstToken = await Browser.AntiforgeryTokenAsync(first, members);
        var secondToken = await Browser.AntiforgeryTokenAsync(second, members);

        for (var round = 0; round < 8; round++)
        {
            var action = round % 2 == 0 ? "role" : "remove";
            var answers = await Task.WhenAll(
                first.PostAsync($"{members}/{secondId:D}/{action}", Form(firstToken)),
                second.PostAsync($"{members}/{firstId:D}/{action}", Form(secondToken)));

            Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Conflict or HttpStatusCode.Forbidden or HttpStatusCode.NotFound, a.StatusCode.ToString()));
            var owners = new[] { await RoleAsync(tenant, "first@acme.example"), await RoleAsync(tenant, "second@acme.example") };
            Assert.Equal(1, owners.Count(r => r == TenantRole.Owner));

            // Both owners again for the next round.
            await OwnerAgainAsync(tenant, owners[0] == TenantRole.Owner ? "second@acme.example" : "first@acme.example");
            firstId = await MembershipIdAsync(tenant, "first@acme.example");
            secondId = await MembershipIdAsync(tenant, "second@acme.example");
        }

        static FormUrlEncodedContent Form(string token) => new(new Dictionary<string, string> { ["role"] = "Viewer", ["__RequestVerificationToken"] = token });
    }

    [Theory]
    [InlineData(TenantRole.Viewer)]
    [InlineData(TenantRole.Editor)]
    public async Task Manage_NonOwner_IsForbiddenAndNothingChanges(TenantRole role)
    {
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var client = await MemberAsync(tenant, "member@acme.example", role);
        var members = $"/t/{tenant:D}/members";
        var owner = await MembershipIdAsync(tenant, "owner@acme.example");

        var list = await client.GetStringAsync(members);
        Assert.Contains("owner@acme.example", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Invite someone", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, members, members, ("email", "x@example.com"), ("role", "Owner"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, members, $"{members}/{owner:D}/role", ("role", "Viewer"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, members, $"{members}/{owner:D}/remove")).StatusCode);

        Assert.Equal(TenantRole.Owner, await RoleAsync(tenant, "owner@acme.example"));
        Assert.Null(await RoleAsync(tenant, "x@example.com"));
        Assert.Empty(await AuditAsync(tenant));
    }

    [Fact]
    public async Task ChangeRole_AnotherTenantsMembershipUnderOwnRoute_IsNotFound()
    {
        var tenantA = await Data.TenantAsync("Acme");
        var tenantB = await Data.TenantAsync("Globex");
        await Data.UserAsync("owner-b@globex.example", tenantB, TenantRole.Owner);
        var client = await MemberAsync(tenantA, "owner@acme.example", TenantRole.Owner);
        var foreign = await MembershipIdAsync(tenantB, "owner-b@globex.example");

        var response = await PostAsync(client, $"/t/{tenantA:D}/members", $"/t/{tenantA:D}/members/{foreign:D}/role", ("role", "Viewer"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(TenantRole.Owner, await RoleAsync(tenantB, "owner-b@globex.example"));
    }

    [Fact]
    public async Task AuditPage_ListsChangesNewestFirstAndPages()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "owner@acme.example", TenantRole.Owner);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var audit = new Web.Features.Audit.AuditLog(db, TimeProvider.System);
            for (var i = 1; i <= 60; i++)
            {
                audit.Record("owner@acme.example", "rule.updated", $"Rule {i:D2}", $"version {i}");
            }

            await db.SaveChangesAsync();
        }

        var viewer = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var page1 = await viewer.GetStringAsync($"/t/{tenant:D}/audit");
        var targets1 = Regex.Matches(page1, "<td>Rule (\\d\\d)</td>").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(11, 50).Reverse(), targets1);
        Assert.Contains("<code>rule.updated</code>", page1, StringComparison.Ordinal);
        Assert.Contains("version 60", page1, StringComparison.Ordinal);
        var older = Regex.Match(page1, "rel=\"next\" href=\"([^\"]+)\"").Groups[1].Value;
        var page2 = await viewer.GetStringAsync(System.Net.WebUtility.HtmlDecode(older));
        var targets2 = Regex.Matches(page2, "<td>Rule (\\d\\d)</td>").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, 10).Reverse(), targets2);
        Assert.DoesNotContain("rel=\"next\"", page2, StringComparison.Ordinal);
        Assert.NotNull(client);
    }

    private async Task<Guid> MembershipIdAsync(Guid tenant, string email)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return await (from m in db.Memberships join u in db.Users on m.UserId equals u.Id where u.Email == email select m.Id).SingleAsync();
        }
    }

    private async Task OwnerAgainAsync(Guid tenant, string email)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
            if (await db.Memberships.SingleOrDefaultAsync(m => m.UserId == userId) is { } membership)
            {
                membership.Role = TenantRole.Owner;
            }
            else
            {
                db.Memberships.Add(new TenantMembership { Id = Guid.NewGuid(), UserId = userId, Role = TenantRole.Owner, CreatedAt = DateTimeOffset.UtcNow });
            }

            await db.SaveChangesAsync();
        }
    }

    private async Task<TenantRole?> RoleAsync(Guid tenant, string email)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return await (from m in db.Memberships join u in db.Users on m.UserId equals u.Id where u.Email == email select (TenantRole?)m.Role).SingleOrDefaultAsync();
        }
    }

    private static string Link(string html) => System.Net.WebUtility.HtmlDecode(Regex.Match(html, "id=\"invite-link\" type=\"text\" readonly value=\"([^\"]+)\"").Groups[1].Value);

    private static string Token(Uri link) => Parameter(link, "token");

    private static string RevokeAction(string html, string email) =>
        Regex.Match(html, $"action=\"([^\"]+/revoke)\"[^>]*>\\s*<button[^>]*aria-label=\"Revoke the invitation of {Regex.Escape(email)}\"").Groups[1].Value;

    private static string Parameter(Uri link, string name) =>
        Uri.UnescapeDataString(link.Query.TrimStart('?').Split('&').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..]);

    /// <summary>The choose-a-password form as the link fills it, with <paramref name="password"/> typed twice.</summary>
    private static (string Key, string Value)[] Fields(Uri link, string email, string password) =>
        [("Email", email), ("Token", Token(link)), ("Website", Parameter(link, "website")), ("Role", Parameter(link, "role")), ("Password", password), ("ConfirmPassword", password)];

    /// <summary>The page minus what must differ: the email and the link's token (and the antiforgery token).</summary>
    private static string Normalize(string html, string email)
    {
        html = html.Replace(email, "EMAIL", StringComparison.Ordinal);
        html = Regex.Replace(html, "token=[^\"&]+", "token=T");
        html = Regex.Replace(html, "email=[^\"&]+", "email=E");
        return Regex.Replace(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"", "AF");
    }
}

public sealed class MembersPageTestsOnSqlite(SqliteHubFixture fixture) : MembersPageTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class MembersPageTestsOnPostgres(PostgresHubFixture fixture) : MembersPageTests(fixture);
