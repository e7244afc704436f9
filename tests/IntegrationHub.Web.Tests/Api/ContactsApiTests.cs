using System.Net;
using System.Text.Json;
using IntegrationHub.Web.Features.Contacts;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.Api;

public abstract class ContactsApiTests(IHubFixture fixture) : ApiTestBase(fixture)
{
    // Non-ASCII text as a client sends it: unescaped UTF-8.
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string Profile = """
        {"nickname":"Jane Doe","avatar":"https://cdn.example.com/j.png","phone":"+33 6 12 34 56 78",
         "company":{"name":"Acme","url":"https://acme.example","domain":"Acme.Example"},
         "segments":["customer","plan-pro","customer"],"data":{"plan":"pro","seats":12,"trial":false}}
        """;

    [Fact]
    public async Task Put_NewContact_StoresItAndStagesProfileThenDataCalls()
    {
        var (tenant, client) = await TenantClientAsync();

        var response = await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/Jane@Example.com", Profile);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await JsonOf(response);
        Assert.Equal("jane@example.com", body.GetProperty("email").GetString());
        Assert.True(body.GetProperty("created").GetBoolean());
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var contact = await db.Set<Contact>().SingleAsync();
            Assert.Equal("jane@example.com", contact.Email);
            var calls = await db.Set<CrispCall>().OrderBy(c => c.Id).ToListAsync();
            Assert.Equal([CrispCallKinds.PeopleProfileUpsert, CrispCallKinds.PeopleDataMerge], calls.Select(c => c.Kind).ToArray());
            Assert.All(calls, c => Assert.Equal("jane@example.com", c.OrderingKey));
            Assert.Equal(calls.Select(c => c.Id), body.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("id").GetInt64()));
            var profile = JsonDocument.Parse(calls[0].Payload).RootElement;
            Assert.Equal("jane@example.com", profile.GetProperty("email").GetString());
            Assert.Equal("Jane Doe", profile.GetProperty("nickname").GetString());
            Assert.Equal("acme.example", profile.GetProperty("company").GetProperty("domain").GetString());
            Assert.Equal(["customer", "plan-pro"], profile.GetProperty("segments").EnumerateArray().Select(s => s.GetString()!).ToArray());
            Assert.False(profile.TryGetProperty("data", out _));
            var data = JsonDocument.Parse(calls[1].Payload).RootElement.GetProperty("data");
            Assert.Equal("pro", data.GetProperty("plan").GetString());
            Assert.Equal(12, data.GetProperty("seats").GetInt32());
            Assert.False(data.GetProperty("trial").GetBoolean());
        }
    }

    [Fact]
    public async Task Put_Twice_MergesDataKeyByKeyAndOnlyStagesWhatWasSent()
    {
        var (tenant, client) = await TenantClientAsync();
        await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/jane@example.com", Profile);

        var second = await JsonOf(await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/jane@example.com", """{"data":{"seats":13,"region":"eu"}}"""));

        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Equal([CrispCallKinds.PeopleDataMerge], second.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("kind").GetString()!).ToArray());
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var data = JsonDocument.Parse((await db.Set<Contact>().SingleAsync()).Data).RootElement;
            Assert.Equal("pro", data.GetProperty("plan").GetString());
            Assert.Equal(13, data.GetProperty("seats").GetInt32());
            Assert.Equal("eu", data.GetProperty("region").GetString());
            var last = await db.Set<CrispCall>().OrderBy(c => c.Id).LastAsync();
            var sent = JsonDocument.Parse(last.Payload).RootElement.GetProperty("data");
            Assert.Equal(["seats", "region"], sent.EnumerateObject().Select(p => p.Name).ToArray());
        }
    }

    [Fact]
    public async Task PatchContext_StagesPeopleDataAndSessionDataMergesWithoutCreatingConversations()
    {
        var (tenant, client) = await TenantClientAsync();

        var response = await SendAsync(client, HttpMethod.Patch, "/api/v1/contacts/jane@example.com/context",
            """{"data":{"plan_tier":"enterprise","account_age_days":412,"recent_errors":"E1042 (2x)","beta_user":true}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var calls = await db.Set<CrispCall>().OrderBy(c => c.Id).ToListAsync();
            Assert.Equal([CrispCallKinds.PeopleDataMerge, CrispCallKinds.SessionDataMerge], calls.Select(c => c.Kind).ToArray());
            var session = JsonDocument.Parse(calls[1].Payload).RootElement;
            Assert.False(session.GetProperty("create_conversation").GetBoolean());
            Assert.Equal("jane@example.com", session.GetProperty("email").GetString());
            Assert.Equal(["plan_tier", "account_age_days", "recent_errors", "beta_user"], session.GetProperty("data").EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal(calls[0].Payload, JsonSerializer.Serialize(new { email = "jane@example.com", data = session.GetProperty("data") }));
        }

        await SendAsync(client, HttpMethod.Patch, "/api/v1/contacts/jane@example.com/context", """{"data":{"plan_tier":"pro"}}""");
        var (scope2, db2) = OpenScope(tenant);
        await using (scope2)
        {
            var context = JsonDocument.Parse((await db2.Set<Contact>().SingleAsync()).Context).RootElement;
            Assert.Equal("pro", context.GetProperty("plan_tier").GetString());
            Assert.Equal(412, context.GetProperty("account_age_days").GetInt32());
            var lastSession = await db2.Set<CrispCall>().Where(c => c.Kind == CrispCallKinds.SessionDataMerge).OrderBy(c => c.Id).LastAsync();
            Assert.Equal(["plan_tier"], JsonDocument.Parse(lastSession.Payload).RootElement.GetProperty("data").EnumerateObject().Select(p => p.Name).ToArray());
        }
    }

    [Fact]
    public async Task Put_IdempotencyKeyRepeated_ReplaysAndStagesOnce()
    {
        var (tenant, client) = await TenantClientAsync();

        var first = await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/jane@example.com", Profile, "put-1");
        var second = await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/jane@example.com", Profile, "put-1");
        var conflict = await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/jane@example.com", """{"nickname":"J"}""", "put-1");
        var otherPath = await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/sam@example.com", Profile, "put-1");

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        await AssertProblemAsync(conflict, 409, "idempotency-key-conflict");
        await AssertProblemAsync(otherPath, 409, "idempotency-key-conflict");
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal(2, await db.Set<CrispCall>().CountAsync());
            Assert.Equal(1, await db.Set<Contact>().CountAsync());
        }
    }

    [Fact]
    public async Task Put_ConcurrentFirstPushesOfOneEmail_OneContactAllCallsStaged()
    {
        var (tenant, client) = await TenantClientAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            SendAsync(client, HttpMethod.Put, "/api/v1/contacts/race@example.com", $$$"""{"data":{"n{{{i}}}":{{{i}}}}}""")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal(1, await db.Set<Contact>().CountAsync());
            Assert.Equal(8, await db.Set<CrispCall>().CountAsync());
        }
    }

    [Fact]
    public async Task Put_ConcurrentPushesOfNewKeys_TheContactKeepsEveryKey()
    {
        var (tenant, client) = await TenantClientAsync();
        await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/race@example.com", """{"nickname":"Race"}""");

        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            SendAsync(client, HttpMethod.Put, "/api/v1/contacts/race@example.com", $$$"""{"data":{"k{{{i}}}":{{{i}}}}}""")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var data = JsonDocument.Parse((await db.Set<Contact>().SingleAsync()).Data).RootElement;
            Assert.Equal(Enumerable.Range(0, 16).Select(i => $"k{i}").Order(), data.EnumerateObject().Select(p => p.Name).Order());
        }
    }

    [Fact]
    public async Task PatchContext_ConcurrentRequestsWithOneIdempotencyKey_WorkDoneOnceAllAnsweredAlike()
    {
        var (tenant, client) = await TenantClientAsync();
        await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/race@example.com", """{"nickname":"Race"}""");

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            SendAsync(client, HttpMethod.Patch, "/api/v1/contacts/race@example.com/context", """{"data":{"plan":"pro"}}""", "ctx-race")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            // The profile push's call, and one pair for the key.
            Assert.Equal(3, await db.Set<CrispCall>().CountAsync());
            var record = await db.Set<IntegrationHub.Web.Features.Idempotency.IdempotencyRecord>().SingleAsync();
            Assert.Equal(bodies[0], record.ResponseBody);
        }
    }

    [Fact]
    public async Task Put_ConcurrentDifferentBodiesWithOneIdempotencyKey_OneWinsTheOthersAre409()
    {
        var (tenant, client) = await TenantClientAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            SendAsync(client, HttpMethod.Put, "/api/v1/contacts/race@example.com", $$$"""{"nickname":"N{{{i}}}"}""", "put-race")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal(1, await db.Set<Contact>().CountAsync());
            Assert.Equal(1, await db.Set<CrispCall>().CountAsync(c => c.Kind == CrispCallKinds.PeopleProfileUpsert));
        }
    }

    [Theory]
    [InlineData("ada@xn--bcher-kva.example", "ada@bücher.example")]
    [InlineData("ada@xn--bcher-kva.example", "ADA@XN--BCHER-KVA.EXAMPLE")]
    [InlineData("jose\u0301@bu\u0308cher.example", "josé@bücher.example")]
    [InlineData("jose\u0301@xn--bcher-kva.example", "jose\u0301@bücher.example")]
    public async Task Put_ContactStoredUnderAnEarlierSpelling_IsTheSameContact(string stored, string pushed)
    {
        // Rows written before emails had one spelling hold the address as it was sent, only lower-cased.
        var (tenant, client) = await TenantClientAsync();
        var (seed, seedDb) = OpenScope(tenant);
        await using (seed)
        {
            seedDb.Add(new Contact { Id = Guid.CreateVersion7(), Email = stored, Data = """{"plan":"pro"}""", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            await seedDb.SaveChangesAsync();
        }

        var response = await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/" + Uri.EscapeDataString(pushed), """{"data":{"seats":3}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await JsonOf(response);
        var canonical = body.GetProperty("email").GetString();
        Assert.False(body.GetProperty("created").GetBoolean());
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var contact = await db.Set<Contact>().SingleAsync();
            Assert.Equal(canonical, contact.Email);
            var data = JsonDocument.Parse(contact.Data).RootElement;
            Assert.Equal("pro", data.GetProperty("plan").GetString());
            Assert.Equal(3, data.GetProperty("seats").GetInt32());
        }
    }

    [Fact]
    public async Task Put_SameEmailInTwoTenants_AreTwoContacts()
    {
        var (a, clientA) = await TenantClientAsync("A");
        var (b, clientB) = await TenantClientAsync("B");

        await SendAsync(clientA, HttpMethod.Put, "/api/v1/contacts/jane@example.com", """{"nickname":"Jane of A"}""");
        await SendAsync(clientB, HttpMethod.Put, "/api/v1/contacts/jane@example.com", """{"nickname":"Jane of B"}""");

        foreach (var (tenant, name) in new[] { (a, "Jane of A"), (b, "Jane of B") })
        {
            var (scope, db) = OpenScope(tenant);
            await using (scope)
            {
                var contact = await db.Set<Contact>().SingleAsync();
                Assert.Contains(name, contact.Profile, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("avatar", "https://user:secret@cdn.example.com/j.png")]
    [InlineData("avatar", "https://cdn.example.com/j\t.png")]
    [InlineData("avatar", "https://cdn.example.com/j.png\n")]
    [InlineData("company.url", "https://admin@acme.example")]
    public async Task Put_UrlWithCredentialsOrWhitespace_Is422AndStagesNothing(string field, string url)
    {
        var (tenant, client) = await TenantClientAsync();
        var body = field == "avatar"
            ? JsonSerializer.Serialize(new { avatar = url })
            : JsonSerializer.Serialize(new { company = new { url } });

        var problem = await AssertProblemAsync(await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/jane@example.com", body), 422, "validation-failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, await CountAsync<CrispCall>(tenant));
    }

    [Fact]
    public async Task Put_NonAsciiTextAtItsLimits_IsStoredAsTextNotAsEscapes()
    {
        var (tenant, client) = await TenantClientAsync();
        var body = JsonSerializer.Serialize(new
        {
            nickname = new string('ж', ContactsApi.NicknameMaxLength),
            company = new { name = new string('ж', ContactsApi.NicknameMaxLength) },
            segments = Enumerable.Range(0, CrispDataRules.MaxSegments).Select(i => $"{i:00}" + new string('ж', CrispDataRules.SegmentMaxLength - 2)),
            data = Enumerable.Range(0, 12).ToDictionary(i => $"k{i}", _ => new string('ж', 1900)),
        }, RelaxedJson);

        var response = await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/jane@example.com", body);

        // Written as six-character escapes, the profile and the data call overflowed their columns (a 500 on PostgreSQL).
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var contact = await db.Set<Contact>().SingleAsync();
            Assert.Contains("жжж", contact.Profile, StringComparison.Ordinal);
            Assert.Contains("жжж", contact.Data, StringComparison.Ordinal);
            var calls = await db.Set<CrispCall>().OrderBy(c => c.Id).ToListAsync();
            Assert.Equal(2, calls.Count);
            Assert.Equal(new string('ж', 1900), JsonDocument.Parse(calls[1].Payload).RootElement.GetProperty("data").GetProperty("k11").GetString());
        }
    }

    [Fact]
    public async Task PatchContext_EmojiBeyondWhatACallHolds_Is422AndStoresNothing()
    {
        var (tenant, client) = await TenantClientAsync();
        // 60 KB of UTF-8, but each emoji is a 12-character escape in JSON: 180,000 characters, over a call's 100,000.
        // (Written by hand: every encoder escapes emoji.)
        var values = Enumerable.Range(0, 15).Select(i => $"\"k{i}\":\"{string.Concat(Enumerable.Repeat("😀", 1000))}\"");
        var body = $"{{\"data\":{{{string.Join(',', values)}}}}}";

        var response = await SendAsync(client, HttpMethod.Patch, "/api/v1/contacts/jane@example.com/context", body);

        var problem = await AssertProblemAsync(response, 422, "validation-failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("data", out _));
        Assert.Equal(0, await CountAsync<Contact>(tenant));
        Assert.Equal(0, await CountAsync<CrispCall>(tenant));
    }

    [Fact]
    public async Task PatchContext_NewKeysPastWhatTheContactHolds_Is422AndKeepsWhatWasStored()
    {
        var (tenant, client) = await TenantClientAsync();
        static string Keys(int round) => JsonSerializer.Serialize(new { data = Enumerable.Range(0, 100).ToDictionary(i => $"r{round}_{i}", _ => new string('x', 590)) });
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(client, HttpMethod.Patch, "/api/v1/contacts/jane@example.com/context", Keys(round))).StatusCode);
        }

        string before;
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            before = (await db.Set<Contact>().SingleAsync()).Context;
        }

        // Each push is within its limits, but the merged copy would pass 200,000 characters (a 500 on PostgreSQL).
        var fourth = await SendAsync(client, HttpMethod.Patch, "/api/v1/contacts/jane@example.com/context", Keys(3));

        var problem = await AssertProblemAsync(fourth, 422, "validation-failed");
        Assert.Contains("200000", problem.GetProperty("errors").GetProperty("data")[0].GetString(), StringComparison.Ordinal);
        var (scope2, db2) = OpenScope(tenant);
        await using (scope2)
        {
            Assert.Equal(before, (await db2.Set<Contact>().SingleAsync()).Context);
            Assert.Equal(6, await db2.Set<CrispCall>().CountAsync());
        }

        var overwrite = await SendAsync(client, HttpMethod.Patch, "/api/v1/contacts/jane@example.com/context", """{"data":{"r0_1":"y"}}""");
        Assert.Equal(HttpStatusCode.Accepted, overwrite.StatusCode);

        // Keys cleared with "" make room: the copy holds what Crisp holds, and the refused keys now fit.
        var clear = JsonSerializer.Serialize(new { data = Enumerable.Range(0, 100).ToDictionary(i => $"r0_{i}", _ => "") });
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(client, HttpMethod.Patch, "/api/v1/contacts/jane@example.com/context", clear)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(client, HttpMethod.Patch, "/api/v1/contacts/jane@example.com/context", Keys(3))).StatusCode);
        var (scope3, db3) = OpenScope(tenant);
        await using (scope3)
        {
            var context = JsonDocument.Parse((await db3.Set<Contact>().SingleAsync()).Context).RootElement;
            Assert.False(context.TryGetProperty("r0_1", out _));
            Assert.True(context.TryGetProperty("r3_99", out _));
        }
    }
}

public sealed class ContactsApiTestsOnSqlite(SqliteHubFixture fixture) : ContactsApiTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class ContactsApiTestsOnPostgres(PostgresHubFixture fixture) : ContactsApiTests(fixture);
