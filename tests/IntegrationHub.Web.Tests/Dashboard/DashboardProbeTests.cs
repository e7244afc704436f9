using System.Net;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.Audit;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Helpdesk;
using IntegrationHub.Web.Features.HookReactions;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.DashboardPages;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Dashboard;

/// <summary>
/// The dashboard probed from outside, route by route (read from the endpoint list, so a new action is covered without
/// editing this test): another website's object ids under one's own website, and odd input in every field the pages have.
/// </summary>
public abstract partial class DashboardProbeTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    [Theory]
    [InlineData(TenantRole.Owner)]
    [InlineData(TenantRole.Viewer)]
    public async Task EveryActionOfOwnWebsite_WithAnotherWebsitesIds_IsNotFoundAndChangesNothing(TenantRole role)
    {
        var a = await Data.TenantAsync("Acme");
        var b = await Data.TenantAsync("Globex");
        var ofB = await SeedEverythingAsync(b);
        var before = await SnapshotAsync(b);
        var client = await MemberAsync(a, "member@acme.example", role);
        var token = await Browser.AntiforgeryTokenAsync(client, "/");

        var routes = TenantRoutes().Where(r => r.Route.RoutePattern.Parameters.Count > 1).ToList();
        Assert.NotEmpty(routes);
        foreach (var (route, method) in routes)
        {
            foreach (var id in ofB.Ids)
            {
                var url = Fill(route, a, id);
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method != "GET")
                {
                    request.Content = new FormUrlEncodedContent(HijackFields(token));
                }

                var response = await client.SendAsync(request);
                // A Viewer may be refused by role before the id is looked up (owner pages, posts): 403 says nothing about B either.
                Assert.True(
                    response.StatusCode == HttpStatusCode.NotFound || (role == TenantRole.Viewer && response.StatusCode == HttpStatusCode.Forbidden),
                    $"{role} of A: {method} {url} answered {(int)response.StatusCode}.");
                var body = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain("globex-secret", body, StringComparison.Ordinal);
            }
        }

        // A's own pages asked for B's article and sync by their path and id show nothing of B's.
        foreach (var url in new[] { $"/t/{a:D}/helpdesk/edit?locale=en&type=articles&path=globex-secret", $"/t/{a:D}/helpdesk/syncs", $"/t/{a:D}/helpdesk", $"/t/{a:D}/audit", $"/t/{a:D}/deliveries", $"/t/{a:D}/relay", $"/t/{a:D}/auto-replies", $"/t/{a:D}/members", $"/t/{a:D}/keys", $"/t/{a:D}/rules" })
        {
            var response = await client.GetAsync(url);
            Assert.True((int)response.StatusCode < 500, $"GET {url} answered {(int)response.StatusCode}.");
            var body = await response.Content.ReadAsStringAsync();
            // The path asked for is echoed back; nothing stored under it for B is.
            Assert.DoesNotContain("globex-secret title", body, StringComparison.Ordinal);
            Assert.DoesNotContain("globex-secret body", body, StringComparison.Ordinal);
            Assert.DoesNotContain("globex-secret ", body, StringComparison.Ordinal);
            Assert.DoesNotContain("@globex-secret", body, StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync(b));
        Assert.Empty(await AuditAsync(a));
    }

    [Fact]
    public async Task EveryActionOfOwnWebsite_OddInputInEveryField_IsAnsweredWithoutA500()
    {
        var a = await Data.TenantAsync("Acme");
        var ofA = await SeedEverythingAsync(a);
        var client = await MemberAsync(a, "owner@acme.example", TenantRole.Owner);
        var token = await Browser.AntiforgeryTokenAsync(client, "/");
        var failures = new List<string>();

        foreach (var (route, method) in TenantRoutes().OrderBy(r => r.Method == "POST" && r.Route.RoutePattern.RawText!.Contains("delete", StringComparison.Ordinal)))
        {
            // The route's own object: the id of A's that the route finds (or every id, when none is found).
            var urls = new List<string>();
            if (route.RoutePattern.Parameters.Count == 1)
            {
                urls.Add(Fill(route, a, ""));
            }
            else
            {
                foreach (var id in ofA.Ids)
                {
                    var url = Fill(route, a, id);
                    var probe = method == "GET" ? await client.GetAsync(url) : await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["intent"] = "probe" }));
                    if ((int)probe.StatusCode >= 500)
                    {
                        failures.Add($"{method} {url} (no fields) answered {(int)probe.StatusCode}");
                    }

                    if (probe.StatusCode != HttpStatusCode.NotFound)
                    {
                        urls.Add(url);
                    }
                }
            }

            foreach (var url in urls)
            {
                foreach (var value in OddValues(method == "GET"))
                {
                    if (method == "GET")
                    {
                        // One parameter at a time: a refused one (an unknown status) must not hide what another does.
                        foreach (var name in QueryNames)
                        {
                            var response = await client.GetAsync($"{url}?{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}");
                            if ((int)response.StatusCode >= 500)
                            {
                                failures.Add($"GET {url}?{name}='{Shown(value)}' answered {(int)response.StatusCode}");
                            }
                        }
                    }
                    else
                    {
                        var fields = FieldNames.Select(n => new KeyValuePair<string, string>(n, value)).Append(new("__RequestVerificationToken", token));
                        var response = await client.PostAsync(url, new FormUrlEncodedContent(fields));
                        if ((int)response.StatusCode >= 500)
                        {
                            failures.Add($"POST {url} with every field '{Shown(value)}' answered {(int)response.StatusCode}");
                        }
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>The parameters the dashboard's links and GET forms carry.</summary>
    private static readonly string[] QueryNames = ["page", "invitations", "before", "after", "status", "event", "contact", "from", "to", "locale", "type", "path"];

    /// <summary>Every field name the dashboard's forms and links use, and the paging parameters.</summary>
    private static readonly string[] FieldNames =
    [
        "page", "invitations", "before", "after", "status", "event", "contact", "from", "to", "locale", "type", "path", "folder", "slug", "position",
        "intent", "confirm", "markdown", "eventJson", "email", "role", "name", "url", "events", "enabled", "windowMinutes", "capPerHour",
        "Name", "Trigger", "ConditionMode", "BaseVersion", "Conditions[0].Field", "Conditions[0].Operator", "Conditions[0].Value",
        "Actions[0].Type", "Actions[0].Text", "Actions[0].Color", "Actions[0].Data", "Actions[0].Segments", "Actions[0].CampaignId", "Actions[0].CreateConversation",
        "Enabled", "TextContains", "TimeZone", "Days", "From", "To", "ReplyText",
        "Locale", "ContentType", "Folder", "Slug", "Title", "Description", "Markdown", "Hidden", "Featured", "Position", "Overwrite", "Baseline",
        "DisplayName", "RateBudgetPerMinute", "EventsEnabled", "RelayEnabled", "HelpdeskEnabled", "AutoRepliesEnabled",
        "IdentitySecret", "RemoveIdentitySecret", "WebsiteTokenIdentifier", "WebsiteTokenKey", "RemoveWebsiteToken", "LinkEmail", "LinkPassword",
    ];

    /// <summary>What reaches a database or a parser badly: NUL (PostgreSQL refuses it in text), numbers and dates out of
    /// range, a body far over any limit; in forms also markup, direction marks, emoji and blanks. A URL stays under 8 KB.</summary>
    private static IEnumerable<string> OddValues(bool inUrl) => inUrl
        ? ["\0", "a\u0000b", new string('x', 3000), "99999999999999999999", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"]
        :
        [
            "\0",
            "a\u0000b",
            new string('x', 70_000),
            "-2147483649",
            "99999999999999999999",
            "9999-12-31T23:59:59-14:00",
            "0001-01-01T00:00:00+14:00",
            "<script>alert(1)</script>' OR 1=1 --",
            "\u202e😀\t\r\n",
            "   ",
        ];

    private static string Shown(string value) => value.Length > 40
        ? $"{value.Length} × '{value[0]}'"
        : string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    private async Task<SeededIds> SeedEverythingAsync(Guid tenant)
    {
        var ids = new List<string>();
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var rule = await scope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync("globex-secret rule", new RuleDefinition
            {
                Trigger = "order.*",
                Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "globex-secret" }],
            }, "seed", CancellationToken.None);
            ids.Add(rule.Rule!.Id.ToString("D"));
            ids.Add(rule.Rule.CurrentVersionId.ToString("D"));

            var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("globex-secret key", CancellationToken.None);
            ids.Add(key.Key.Id.ToString("D"));

            await scope.ServiceProvider.GetRequiredService<MemberInvitations>().InviteAsync("invited@globex-secret.example", TenantRole.Viewer, "seed");
            await db.SaveChangesAsync();
            ids.Add((await db.Set<MemberInvitation>().SingleAsync()).Id.ToString("D"));

            var autoReply = new AutoReplyRule { Id = Guid.NewGuid(), Name = "globex-secret reply", Trigger = AutoReplyTriggers.FirstMessage, ReplyText = "globex-secret" };
            db.Set<AutoReplyRule>().Add(autoReply);
            ids.Add(autoReply.Id.ToString("D"));

            var endpoint = new RelayEndpoint { Id = Guid.NewGuid(), Url = "https://globex-secret.example/hook", EventFilter = "message:*", CreatedAt = DateTimeOffset.UtcNow };
            db.Set<RelayEndpoint>().Add(endpoint);
            ids.Add(endpoint.Id.ToString("D"));
            var delivery = new RelayDelivery
            {
                Id = Guid.NewGuid(), EndpointId = endpoint.Id, Event = "message:send", Payload = "{\"globex-secret\":true}", WebhookId = "msg_globex",
                Status = RelayDeliveryStatus.Failed, CreatedAt = DateTimeOffset.UtcNow, NextAttemptAt = DateTimeOffset.UtcNow,
            };
            db.Set<RelayDelivery>().Add(delivery);
            ids.Add(delivery.Id.ToString("D"));

            var sync = new HelpdeskSync { Id = Guid.NewGuid(), Source = "globex-secret", CreatedAt = DateTimeOffset.UtcNow };
            db.Set<HelpdeskSync>().Add(sync);
            ids.Add(sync.Id.ToString("D"));
            db.Set<HelpdeskArticle>().Add(new HelpdeskArticle
            {
                Id = Guid.NewGuid(), Locale = "en", ContentType = "articles", Slug = "globex-secret", Title = "globex-secret title", Markdown = "globex-secret body",
                CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        var viewerId = await Data.UserAsync("viewer@globex-secret.example", tenant, TenantRole.Viewer);
        (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            ids.Add((await db.Memberships.SingleAsync(m => m.UserId == viewerId)).Id.ToString("D"));
        }

        ids.Add((await CallAsync(tenant, CrispCallStatus.Dead, "ada@globex-secret.example")).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new SeededIds(ids);
    }

    /// <summary>Everything of the website a hijacking request could change, as one comparable text.</summary>
    private async Task<string> SnapshotAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var parts = new List<string>();
            parts.AddRange(await db.Set<Rule>().OrderBy(r => r.Id).Select(r => $"rule {r.Id} {r.Name} {r.Enabled} v{r.CurrentVersion}").ToListAsync());
            parts.AddRange(await db.ApiKeys.OrderBy(k => k.Id).Select(k => $"key {k.Id} {k.Name} {k.RevokedAt}").ToListAsync());
            parts.AddRange(await db.Memberships.OrderBy(m => m.Id).Select(m => $"member {m.Id} {m.Role}").ToListAsync());
            parts.AddRange(await db.Set<MemberInvitation>().OrderBy(i => i.Id).Select(i => $"invitation {i.Id} {i.Role} {i.ExpiresAt}").ToListAsync());
            parts.AddRange(await db.Set<AutoReplyRule>().OrderBy(r => r.Id).Select(r => $"reply {r.Id} {r.Name} {r.Enabled} {r.WindowMinutes} {r.CapPerHour}").ToListAsync());
            parts.AddRange(await db.Set<RelayEndpoint>().OrderBy(e => e.Id).Select(e => $"endpoint {e.Id} {e.Enabled} {e.PreviousSecretExpiresAt}").ToListAsync());
            parts.AddRange(await db.Set<RelayDelivery>().OrderBy(d => d.Id).Select(d => $"relay {d.Id} {d.Status}").ToListAsync());
            parts.AddRange(await db.Set<HelpdeskArticle>().OrderBy(h => h.Id).Select(h => $"article {h.Id} {h.Slug} {h.Markdown}").ToListAsync());
            parts.Add($"syncs {await db.Set<HelpdeskSync>().CountAsync()}");
            parts.AddRange(await db.Set<CrispCall>().OrderBy(c => c.Id).Select(c => $"call {c.Id} {c.Status}").ToListAsync());
            parts.Add($"audit {await db.Set<AuditEntry>().CountAsync()}");
            parts.Add($"settings {(await db.Tenants.SingleAsync()).SettingsJson}");
            return string.Join('\n', parts);
        }
    }

    private static Dictionary<string, string> HijackFields(string token) => new()
    {
        ["__RequestVerificationToken"] = token,
        ["Name"] = "hijacked",
        ["name"] = "hijacked",
        ["enabled"] = "false",
        ["Enabled"] = "false",
        ["role"] = "Owner",
        ["Trigger"] = "first_message",
        ["ReplyText"] = "hijacked",
        ["windowMinutes"] = "60",
        ["capPerHour"] = "1",
        ["url"] = "https://evil.example/hook",
        ["events"] = "*",
        ["Actions[0].Type"] = "Note",
        ["Actions[0].Text"] = "hijacked",
    };

    private IEnumerable<(RouteEndpoint Route, string Method)> TenantRoutes() =>
        Hub.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Any(p => p.Name == DashboardTenantResolver.RouteKey))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (e, m)));

    /// <summary>The website id given, every other parameter the id given.</summary>
    private static string Fill(RouteEndpoint route, Guid website, string id)
    {
        var path = "/" + route.RoutePattern.RawText!.TrimStart('/');
        path = Regex.Replace(path, "\\{" + DashboardTenantResolver.RouteKey + "[^}]*\\}", website.ToString("D"));
        return Parameter().Replace(path, id);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    private sealed record SeededIds(IReadOnlyList<string> Ids);
}

public sealed class DashboardProbeTestsOnSqlite(SqliteHubFixture fixture) : DashboardProbeTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class DashboardProbeTestsOnPostgres(PostgresHubFixture fixture) : DashboardProbeTests(fixture);
