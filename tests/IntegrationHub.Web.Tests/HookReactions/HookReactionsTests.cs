using System.Net;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.HookReactions;
using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Api;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.HookReactions;

/// <summary>Reactions to Crisp hooks: people cache, conversation state, auto-replies and the Website Hook URL.</summary>
public abstract class HookReactionsTests(IHubFixture fixture) : ApiTestBase(fixture)
{
    private const string PriceRules = """
        {"window_minutes": 1440, "cap_per_hour": 20, "rules": [
          {"name": "pricing", "trigger": "text_contains", "text_contains": "PRICE", "reply_text": "Our prices are at /pricing."}
        ]}
        """;

    private long _fingerprint = 1000;

    [Fact]
    public async Task AutoReply_SentOncePerWindow_SecondVisitorMessageGetsNone()
    {
        var (tenant, client) = await AutoReplyTenantAsync(PriceRules);

        await VisitorMessageAsync(tenant, "session_a", "What is the price?");
        await VisitorMessageAsync(tenant, "session_a", "Hello? price please");

        var calls = await AutoReplyCallsAsync(tenant);
        var call = Assert.Single(calls);
        var payload = JsonNode.Parse(call.Payload)!;
        Assert.Equal("session_a", payload["session_id"]!.GetValue<string>());
        Assert.Equal("Our prices are at /pricing.", payload["content"]!.GetValue<string>());
        Assert.NotNull(client);
    }

    [Fact]
    public async Task AutoReply_OperatorAnsweredWithinWindow_NoneSent()
    {
        var (tenant, _) = await AutoReplyTenantAsync(PriceRules);

        await PostAndProcessAsync(SignedHooks.Body("message:received", tenant, new JsonObject
        {
            ["session_id"] = "session_b", ["from"] = "operator", ["type"] = "text", ["content"] = "Hi!", ["fingerprint"] = ++_fingerprint,
        }));
        await VisitorMessageAsync(tenant, "session_b", "and the price?");

        Assert.Empty(await AutoReplyCallsAsync(tenant));
        var state = await StateAsync(tenant, "session_b");
        Assert.NotNull(state?.LastOperatorMessageAt);
    }

    [Fact]
    public async Task MessageReceived_EchoOfAutoReply_NoFingerprintKnownYet_MatchedByText()
    {
        var (tenant, _) = await AutoReplyTenantAsync(PriceRules);
        await VisitorMessageAsync(tenant, "session_echo", "price?");

        await PostAndProcessAsync(SignedHooks.Body("message:received", tenant, new JsonObject
        {
            ["session_id"] = "session_echo", ["from"] = "operator", ["type"] = "text", ["content"] = "Our prices are at /pricing.", ["fingerprint"] = ++_fingerprint,
        }));

        var state = await StateAsync(tenant, "session_echo");
        Assert.NotNull(state?.LastHubMessageDeliveredAt);
        Assert.Null(state!.LastOperatorMessageAt);
    }

    [Fact]
    public async Task AutoReply_TenantWideCap_StopsAcrossConversations()
    {
        var (tenant, _) = await AutoReplyTenantAsync(PriceRules.Replace("\"cap_per_hour\": 20", "\"cap_per_hour\": 2", StringComparison.Ordinal));

        for (var i = 0; i < 4; i++)
        {
            await VisitorMessageAsync(tenant, $"session_cap_{i}", "price?");
        }

        Assert.Equal(2, (await AutoReplyCallsAsync(tenant)).Count);
    }

    [Fact]
    public async Task AutoReply_TenantWideCap_HoldsUnderConcurrentHooks()
    {
        var (tenant, _) = await AutoReplyTenantAsync(PriceRules.Replace("\"cap_per_hour\": 20", "\"cap_per_hour\": 3", StringComparison.Ordinal));
        var client = Hub.CreateClient();
        for (var i = 0; i < 16; i++)
        {
            var stored = await client.SendAsync(SignedHooks.Request(SignedHooks.Body("message:send", tenant, new JsonObject
            {
                ["session_id"] = $"session_rush_{i}", ["from"] = "user", ["type"] = "text", ["content"] = "price?", ["fingerprint"] = ++_fingerprint,
            })));
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        await ProcessAllAtOnceAsync();

        Assert.Equal(3, (await AutoReplyCallsAsync(tenant)).Count);
        var (check, checkDb) = OpenScope(tenant);
        await using (check)
        {
            Assert.Equal(3, await checkDb.Set<ConversationState>().CountAsync(s => s.LastAutoReplyAt != null));
            // Every hook was handled (three replies, the rest capped), none left to retry after an error.
            Assert.All(await checkDb.Set<HookInboxEntry>().ToListAsync(), e => Assert.Equal((true, null), (e.ProcessedAt != null, e.LastError)));
        }
    }

    [Fact]
    public async Task MessageReceived_FingerprintKnown_MatchedByFingerprintNotText()
    {
        var (tenant, _) = await AutoReplyTenantAsync(PriceRules);
        await VisitorMessageAsync(tenant, "session_fp", "price?");
        const long sentFingerprint = 424_242_424_242_424;
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            // As the drain records it from Crisp's answer to the send.
            var call = await db.Set<CrispCall>().SingleAsync(c => c.Kind == CrispCallKinds.ConversationMessage);
            call.Status = CrispCallStatus.Sent;
            call.MessageFingerprint = sentFingerprint;
            await db.SaveChangesAsync();
        }

        // An operator types the very words of the auto-reply: another fingerprint, so an operator's answer.
        await PostAndProcessAsync(SignedHooks.Body("message:received", tenant, new JsonObject
        {
            ["session_id"] = "session_fp", ["from"] = "operator", ["type"] = "text", ["content"] = "Our prices are at /pricing.", ["fingerprint"] = ++_fingerprint,
        }));
        var afterOperator = await StateAsync(tenant, "session_fp");
        Assert.NotNull(afterOperator?.LastOperatorMessageAt);
        Assert.Null(afterOperator!.LastHubMessageDeliveredAt);

        // Crisp's echo of the hub's message carries its fingerprint, whatever the text looks like by then.
        await PostAndProcessAsync(SignedHooks.Body("message:received", tenant, new JsonObject
        {
            ["session_id"] = "session_fp", ["from"] = "operator", ["type"] = "text", ["content"] = "Our prices are at /pricing (translated).", ["fingerprint"] = sentFingerprint,
        }));
        var afterEcho = await StateAsync(tenant, "session_fp");
        Assert.NotNull(afterEcho?.LastHubMessageDeliveredAt);
        Assert.Equal(afterOperator.LastOperatorMessageAt, afterEcho!.LastOperatorMessageAt);
    }

    [Fact]
    public async Task AutoReply_FeatureFlagOff_NoneSent()
    {
        var (tenant, client) = await TenantClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/v1/auto-replies", Json(PriceRules))).StatusCode);

        await VisitorMessageAsync(tenant, "session_off", "price?");

        Assert.Empty(await AutoReplyCallsAsync(tenant));
    }

    [Fact]
    public async Task AutoReply_OperatorMessageOrVisitorFromOperator_NotAVisitorMessage()
    {
        var (tenant, _) = await AutoReplyTenantAsync(PriceRules);

        await PostAndProcessAsync(SignedHooks.Body("message:send", tenant, new JsonObject
        {
            ["session_id"] = "session_x", ["from"] = "operator", ["content"] = "price", ["fingerprint"] = ++_fingerprint,
        }));

        Assert.Empty(await AutoReplyCallsAsync(tenant));
    }

    [Fact]
    public async Task Api_AutoReplies_RoundTripsAndValidates()
    {
        var (_, client) = await TenantClientAsync();
        var put = await client.PutAsync("/api/v1/auto-replies", Json("""
            {"window_minutes": 120, "cap_per_hour": 5, "rules": [
              {"name": "nights", "trigger": "outside_business_hours", "time_zone": "Europe/Paris", "days": [1,2,3,4,5], "from": "09:00", "to": "18:00", "reply_text": "We are closed."},
              {"name": "first", "trigger": "first_message", "reply_text": "Welcome!"}
            ]}
            """));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var got = JsonNode.Parse(await client.GetStringAsync("/api/v1/auto-replies"))!;
        Assert.Equal(120, got["window_minutes"]!.GetValue<int>());
        Assert.Equal(5, got["cap_per_hour"]!.GetValue<int>());
        Assert.Equal("09:00", got["rules"]![0]!["from"]!.GetValue<string>());
        Assert.Equal("first_message", got["rules"]![1]!["trigger"]!.GetValue<string>());

        var bad = await client.PutAsync("/api/v1/auto-replies", Json("""{"window_minutes": 5, "rules": [{"name": "", "trigger": "sometimes", "reply_text": ""}]}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal(2, JsonNode.Parse(await client.GetStringAsync("/api/v1/auto-replies"))!["rules"]!.AsArray().Count);

        // Read like every other API body (README, Errors): wrong types and unknown fields are 422, bad JSON 400.
        foreach (var (body, status, type) in new[]
        {
            ("""{"window_minutes": "soon"}""", HttpStatusCode.UnprocessableEntity, "validation-failed"),
            ("""{"window_minutes": 120, "rules": [{"name": "x", "trigger": "first_message", "reply_text": "Hi", "colour": "red"}]}""", HttpStatusCode.UnprocessableEntity, "validation-failed"),
            ("""{"window_minutes": 120, "window_minutes": 90}""", HttpStatusCode.BadRequest, "invalid-json"),
            ("""{"window_minutes": """, HttpStatusCode.BadRequest, "invalid-json"),
        })
        {
            var refused = await client.PutAsync("/api/v1/auto-replies", Json(body));
            Assert.Equal(status, refused.StatusCode);
            Assert.Equal("https://integrationhub.dev/problems/" + type, JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["type"]!.GetValue<string>());
        }

        Assert.Equal(2, JsonNode.Parse(await client.GetStringAsync("/api/v1/auto-replies"))!["rules"]!.AsArray().Count);

        // The window and cap are kept with the rules: with none left, the answer says what is kept (the defaults,
        // as GET says), not the numbers sent.
        var cleared = await client.PutAsync("/api/v1/auto-replies", Json("""{"window_minutes": 60, "cap_per_hour": 3, "rules": []}"""));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var answer = JsonNode.Parse(await cleared.Content.ReadAsStringAsync())!;
        Assert.Equal(JsonNode.Parse(await client.GetStringAsync("/api/v1/auto-replies"))!.ToJsonString(), answer.ToJsonString());
        Assert.Equal(AutoReplyTriggers.DefaultWindowMinutes, answer["window_minutes"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("name", "nights\\u0000")] // PostgreSQL refuses NUL in text: a 500
    [InlineData("name", "two\\nlines")]
    [InlineData("reply_text", "We are closed\\u0000")]
    [InlineData("text_contains", "price\\u0007")]
    public async Task Api_AutoReplies_ControlCharacters_422NothingStored(string field, string value)
    {
        var (_, client) = await TenantClientAsync();
        var rule = new JsonObject { ["name"] = "pricing", ["trigger"] = "text_contains", ["text_contains"] = "price", ["reply_text"] = "See /pricing." };
        rule[field] = System.Text.RegularExpressions.Regex.Unescape(value);

        var response = await client.PutAsync("/api/v1/auto-replies", Json($$"""{"rules": [{{rule.ToJsonString()}}]}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![$"rules[0].{field}"]);
        Assert.Empty(JsonNode.Parse(await client.GetStringAsync("/api/v1/auto-replies"))!["rules"]!.AsArray());

        // A reply of several lines is still a reply.
        rule[field] = field == "name" ? "pricing" : "line one\r\n\tline two";
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/v1/auto-replies", Json($$"""{"rules": [{{rule.ToJsonString()}}]}"""))).StatusCode);
    }

    [Theory]
    [InlineData("2026-03-02T07:59:00Z", true)]   // Monday 08:59 in Paris (UTC+1): before opening
    [InlineData("2026-03-02T08:00:00Z", false)]  // Monday 09:00 in Paris: open
    [InlineData("2026-03-02T16:59:00Z", false)]  // Monday 17:59 in Paris: open
    [InlineData("2026-03-02T17:00:00Z", true)]   // Monday 18:00 in Paris: closed
    [InlineData("2026-03-07T12:00:00Z", true)]   // Saturday noon: not a business day
    public void BusinessHours_FixedClock(string utc, bool outside)
    {
        var rule = new AutoReplyRule
        {
            Name = "nights", Trigger = AutoReplyTriggers.OutsideBusinessHours, ReplyText = "closed",
            TimeZone = "Europe/Paris", Days = "1,2,3,4,5", FromMinute = 9 * 60, ToMinute = 18 * 60,
        };
        Assert.Equal(outside, HookReactionService.Matches(rule, firstMessage: false, "hi", DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task PeopleCache_FilledFromProfileCreated()
    {
        var (tenant, _) = await TenantClientAsync();

        await PostAndProcessAsync(SignedHooks.Body("people:profile:created", tenant, new JsonObject { ["people_id"] = "p-123", ["email"] = " Jane@Example.COM " }));

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var entry = Assert.Single(await db.Set<CrispPeopleEntry>().ToListAsync());
            Assert.Equal("jane@example.com", entry.Email);
            Assert.Equal("p-123", entry.PeopleId);
        }
    }

    [Fact]
    public async Task ConversationState_TrackedFromSetState()
    {
        var (tenant, _) = await TenantClientAsync();

        await PostAndProcessAsync(SignedHooks.Body("session:set_state", tenant, new JsonObject { ["session_id"] = "session_s", ["state"] = "unresolved" }));
        await PostAndProcessAsync(SignedHooks.Body("session:set_state", tenant, new JsonObject { ["session_id"] = "session_s", ["state"] = "resolved" }));

        Assert.Equal("resolved", (await StateAsync(tenant, "session_s"))?.State);
    }

    [Fact]
    public async Task ConversationState_OlderHookArrivingLate_DoesNotOverwriteNewerState()
    {
        var (tenant, _) = await TenantClientAsync();
        var resolvedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // Crisp retried the earlier "unresolved" and delivered it after the "resolved" that followed it.
        await PostAndProcessAsync(SetState(tenant, "session_late", "resolved", resolvedAt));
        await PostAndProcessAsync(SetState(tenant, "session_late", "unresolved", resolvedAt - 5_000));
        Assert.Equal("resolved", (await StateAsync(tenant, "session_late"))?.State);

        await PostAndProcessAsync(SetState(tenant, "session_late", "pending", resolvedAt + 1_000));
        Assert.Equal("pending", (await StateAsync(tenant, "session_late"))?.State);
    }

    [Fact]
    public async Task ConversationState_OutOfOrderHooksProcessedAtOnce_NewestWins()
    {
        var (tenant, _) = await TenantClientAsync();
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var client = Hub.CreateClient();
        for (var i = 0; i < 8; i++)
        {
            // The conversation is known already (an operator wrote), as most are when their state changes.
            await PostAndProcessAsync(SignedHooks.Body("message:received", tenant, new JsonObject
            {
                ["session_id"] = $"session_race_{i}", ["from"] = "operator", ["type"] = "text", ["content"] = "Hi", ["fingerprint"] = ++_fingerprint,
            }));
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedHooks.Request(SetState(tenant, $"session_race_{i}", "resolved", at + i)))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedHooks.Request(SetState(tenant, $"session_race_{i}", "unresolved", at + i - 2_000)))).StatusCode);
        }

        await ProcessAllAtOnceAsync();

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal("resolved", (await StateAsync(tenant, $"session_race_{i}"))?.State);
        }
    }

    [Fact]
    public async Task ConversationState_TwoFirstSetStateHooksAtOnce_BothHandledWithoutARetry()
    {
        // Both found no row and inserted: one failed on the primary key, was retried 10 s later and logged a warning.
        var (tenant, _) = await TenantClientAsync();
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var client = Hub.CreateClient();
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedHooks.Request(SetState(tenant, $"session_new_{i}", "resolved", at + i)))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedHooks.Request(SetState(tenant, $"session_new_{i}", "unresolved", at + i - 2_000)))).StatusCode);
        }

        await ProcessAllAtOnceAsync();

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.All(await db.Set<HookInboxEntry>().ToListAsync(), e => Assert.Equal((true, 0, (string?)null), (e.ProcessedAt != null, e.Attempts, e.LastError)));
            var states = await db.Set<ConversationState>().ToListAsync();
            Assert.Equal(8, states.Count);
            Assert.All(states, s => Assert.Equal("resolved", s.State));
        }
    }

    [Fact]
    public async Task MessageReceived_FirstHooksOfAConversationAtOnce_BothHandledWithoutARetry()
    {
        var (tenant, _) = await TenantClientAsync();
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var client = Hub.CreateClient();
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedHooks.Request(OperatorMessage(tenant, $"session_op_{i}", at - 60_000)))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedHooks.Request(SetState(tenant, $"session_op_{i}", "unresolved", at)))).StatusCode);
        }

        await ProcessAllAtOnceAsync();

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.All(await db.Set<HookInboxEntry>().ToListAsync(), e => Assert.Equal((true, 0, (string?)null), (e.ProcessedAt != null, e.Attempts, e.LastError)));
            Assert.All(await db.Set<ConversationState>().ToListAsync(), s => Assert.Equal(("unresolved", DateTimeOffset.FromUnixTimeMilliseconds(at - 60_000)), (s.State, s.LastOperatorMessageAt)));
        }
    }

    [Fact]
    public async Task MessageReceived_RecordedAtTheHooksOwnTime_ALateOlderHookDoesNotMoveItBack()
    {
        var (tenant, _) = await TenantClientAsync();
        var now = DateTimeOffset.UtcNow;
        var answered = now.AddMinutes(-30).ToUnixTimeMilliseconds();

        // Processed now, written half an hour ago: the operator answered then, not now.
        await PostAndProcessAsync(OperatorMessage(tenant, "session_t", answered));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(answered), (await StateAsync(tenant, "session_t"))?.LastOperatorMessageAt);

        // An earlier answer, retried by Crisp and processed after it, does not move the time back.
        await PostAndProcessAsync(OperatorMessage(tenant, "session_t", answered - 600_000));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(answered), (await StateAsync(tenant, "session_t"))?.LastOperatorMessageAt);

        // A timestamp ahead of the hub's clock counts as now: it cannot hold the auto-reply window shut for longer.
        await PostAndProcessAsync(OperatorMessage(tenant, "session_t", now.AddDays(3).ToUnixTimeMilliseconds()));
        var ahead = (await StateAsync(tenant, "session_t"))?.LastOperatorMessageAt;
        Assert.InRange(ahead!.Value, now.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task AutoReply_OperatorAnswerProcessedLateButOutsideTheWindow_ReplySent()
    {
        // The operator answered two hours ago; Crisp's hook for it was processed only now (hub down, retries). The
        // 60-minute window counts from the answer, so the visitor's next message gets its auto-reply; it did not,
        // because the answer was recorded at its processing time.
        var (tenant, _) = await AutoReplyTenantAsync(PriceRules.Replace("\"window_minutes\": 1440", "\"window_minutes\": 60", StringComparison.Ordinal));
        await PostAndProcessAsync(OperatorMessage(tenant, "session_late_op", DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds()));

        await VisitorMessageAsync(tenant, "session_late_op", "price?");

        Assert.Single(await AutoReplyCallsAsync(tenant));
    }

    [Fact]
    public async Task PeopleCache_OlderProfileHookProcessedLate_DoesNotOverwriteTheNewerPeopleId()
    {
        var (tenant, _) = await TenantClientAsync();
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // The profile was removed and created again (p-new); Crisp's retry of the first creation (p-old) came last.
        await PostAndProcessAsync(Profile(tenant, "p-new", at));
        await PostAndProcessAsync(Profile(tenant, "p-old", at - 60_000));
        Assert.Equal("p-new", await PeopleIdAsync(tenant, "jane@example.com"));

        await PostAndProcessAsync(SignedHooks.Body("people:bind:session", tenant, new JsonObject { ["session_id"] = "session_p", ["people_id"] = "p-bound", ["email"] = "jane@example.com" }, at + 1_000));
        Assert.Equal("p-bound", await PeopleIdAsync(tenant, "jane@example.com"));
    }

    private static string Profile(Guid tenant, string peopleId, long timestampMs) =>
        SignedHooks.Body("people:profile:created", tenant, new JsonObject { ["people_id"] = peopleId, ["email"] = "Jane@Example.com" }, timestampMs);

    private string OperatorMessage(Guid tenant, string session, long timestampMs) =>
        SignedHooks.Body("message:received", tenant, new JsonObject
        {
            ["session_id"] = session, ["from"] = "operator", ["type"] = "text", ["content"] = "Hi", ["fingerprint"] = ++_fingerprint,
        }, timestampMs);

    private async Task<string?> PeopleIdAsync(Guid tenant, string email)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return (await db.Set<CrispPeopleEntry>().SingleOrDefaultAsync(p => p.Email == email))?.PeopleId;
        }
    }

    private static string SetState(Guid tenant, string session, string state, long timestampMs) =>
        SignedHooks.Body("session:set_state", tenant, new JsonObject { ["session_id"] = session, ["state"] = state }, timestampMs);

    /// <summary>Every unprocessed hook processed at once, each in its own scope, as Hangfire workers on several nodes would.</summary>
    private async Task ProcessAllAtOnceAsync()
    {
        List<long> entries;
        var (scope, db) = OpenScope();
        await using (scope)
        {
            entries = await db.Set<HookInboxEntry>().Where(e => e.ProcessedAt == null).Select(e => e.Id).ToListAsync();
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = entries.Select(id => Task.Run(async () =>
        {
            await using var worker = Hub.Services.CreateAsyncScope();
            var processor = worker.ServiceProvider.GetRequiredService<HookProcessor>();
            await start.Task;
            await processor.ProcessAsync(id, CancellationToken.None);
        })).ToList();
        start.SetResult();
        await Task.WhenAll(workers);
    }

    [Fact]
    public async Task Reactions_ForUnknownWebsite_StoreNothing()
    {
        var stranger = Guid.NewGuid();
        await PostAndProcessAsync(SignedHooks.Body("session:set_state", stranger, new JsonObject { ["session_id"] = "s", ["state"] = "resolved" }));

        var (scope, db) = OpenScope();
        await using (scope)
        {
            var entry = Assert.Single(await db.Set<HookInboxEntry>().ToListAsync());
            Assert.Equal("ignored", entry.Outcome);
            Assert.Empty(await db.Set<ConversationState>().AcrossTenants().ToListAsync());
        }
    }

    [Theory]
    [InlineData("session:set_state", "session_id", "session_\\u0000a", "state", "resolved")]
    [InlineData("session:set_state", "session_id", "session_n", "state", "resolved\\u0000")]
    [InlineData("people:profile:created", "email", "jane\\u0000@example.com", "people_id", "p-1")]
    [InlineData("people:profile:created", "email", "jane@example.com", "people_id", "p-\\u0000")]
    [InlineData("message:received", "session_id", "session_\\u0000b", "from", "operator")]
    public async Task Reactions_ValueWithNul_HookIgnoredNotFailing(string eventName, string field, string value, string otherField, string otherValue)
    {
        // PostgreSQL refuses NUL in text: such a hook failed on every retry and was parked as failed.
        var (tenant, _) = await TenantClientAsync();
        var data = new JsonObject { [field] = System.Text.RegularExpressions.Regex.Unescape(value), [otherField] = System.Text.RegularExpressions.Regex.Unescape(otherValue) };
        data["session_id"] ??= "session_ok";
        data["fingerprint"] = ++_fingerprint;

        await PostAndProcessAsync(SignedHooks.Body(eventName, tenant, data));

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var entry = Assert.Single(await db.Set<HookInboxEntry>().ToListAsync());
            Assert.Equal("ignored", entry.Outcome);
            Assert.Equal(0, entry.Attempts);
            Assert.Null(entry.LastError);
            Assert.Empty(await db.Set<ConversationState>().ToListAsync());
            Assert.Empty(await db.Set<CrispPeopleEntry>().ToListAsync());
        }
    }

    [Fact]
    public async Task WebsiteHook_RightKeyAcceptedOnce_WrongMissingOrOtherTenantsKeyRefused()
    {
        var (tenant, client) = await TenantClientAsync("Acme");
        var (other, otherClient) = await TenantClientAsync("Globex");

        var before = JsonNode.Parse(await client.GetStringAsync("/api/v1/hooks/website-url"))!;
        Assert.False(before["configured"]!.GetValue<bool>());

        var url = new Uri((await PostForUrlAsync(client))!);
        var otherUrl = new Uri((await PostForUrlAsync(otherClient))!);
        Assert.Equal(WebsiteHookIntake.Path(tenant), url.AbsolutePath);
        var after = JsonNode.Parse(await client.GetStringAsync("/api/v1/hooks/website-url"))!;
        Assert.True(after["configured"]!.GetValue<bool>());
        Assert.Null(after["url"]?.GetValue<string>());

        var anonymous = Hub.CreateClient();
        var body = SignedHooks.Body("session:set_state", tenant, new JsonObject { ["session_id"] = "session_w", ["state"] = "pending" });

        Assert.Equal("accepted", await StatusAsync(await anonymous.PostAsync(url.PathAndQuery, Json(body))));
        Assert.Equal("duplicate", await StatusAsync(await anonymous.PostAsync(url.PathAndQuery, Json(body))));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(url.AbsolutePath, Json(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(url.AbsolutePath + "?key=wrong", Json(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(url.AbsolutePath + otherUrl.Query, Json(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(WebsiteHookIntake.Path(Guid.NewGuid()) + url.Query, Json(body))).StatusCode);
        var refused = await anonymous.PostAsync(url.AbsolutePath + "?key=wrong", Json(body));
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.DoesNotContain("detail", problem, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("key", problem, StringComparison.OrdinalIgnoreCase);

        // Regenerating invalidates the old URL.
        await PostForUrlAsync(client);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(url.PathAndQuery, Json(body))).StatusCode);

        await ProcessInboxAsync();
        Assert.Equal("pending", (await StateAsync(tenant, "session_w"))?.State);
        Assert.Null(await StateAsync(other, "session_w"));
    }

    [Theory]
    [InlineData("{\"event\":\"session:set_state\",\"event\":\"x\",\"data\":{}}")]
    [InlineData("{\"event\":\"session:set_state\\ud800\",\"data\":{}}")]
    [InlineData("{\"event\":\"session:set_state<FF>\",\"data\":{}}")]
    public async Task WebsiteHook_MalformedBody_Gets400AndStoresNothing(string body)
    {
        var (tenant, client) = await TenantClientAsync();
        var url = new Uri((await PostForUrlAsync(client))!);
        using var content = new ByteArrayContent(MalformedBytes(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await Hub.CreateClient().PostAsync(url.PathAndQuery, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await CountAsync<HookInboxEntry>(tenant));
    }

    [Theory]
    [InlineData("plugin:settings:saved")]
    [InlineData("plugin:subscription:updated")]
    public async Task WebsiteHook_PluginLifecycleEvent_RefusedAndNothingStored(string eventName)
    {
        // Only Crisp's signed plugin hooks speak for the plugin's install and settings; the website URL is unsigned.
        var (tenant, client) = await TenantClientAsync();
        var url = new Uri((await PostForUrlAsync(client))!);
        var body = SignedHooks.Body(eventName, tenant, new JsonObject { ["settings"] = new JsonObject { ["features"] = new JsonObject { ["relay"] = false } }, ["bound"] = false });

        var response = await Hub.CreateClient().PostAsync(url.PathAndQuery, Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await CountAsync<HookInboxEntry>(tenant));
    }

    /// <summary>The body as UTF-8, except that "&lt;FF&gt;" stands for the byte 0xFF, which no UTF-8 text has.</summary>
    private static byte[] MalformedBytes(string body) =>
        [.. body.Split("<FF>").SelectMany((part, i) => i == 0 ? System.Text.Encoding.UTF8.GetBytes(part) : [0xFF, .. System.Text.Encoding.UTF8.GetBytes(part)])];

    [Fact]
    public async Task CrashBetween200AndProcessing_SweepProcessesExactlyOnce()
    {
        var (tenant, _) = await AutoReplyTenantAsync(PriceRules);

        // Jobs:RunServer=false in tests: the enqueued job never runs, exactly as if the node died after answering 200.
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(SignedHooks.Body("message:send", tenant, new JsonObject
        {
            ["session_id"] = "session_crash", ["from"] = "user", ["type"] = "text", ["content"] = "price", ["fingerprint"] = ++_fingerprint,
        })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await AutoReplyCallsAsync(tenant));

        await ProcessInboxAsync();
        await ProcessInboxAsync();
        await using (var scope = Hub.Services.CreateAsyncScope())
        {
            var entry = await scope.ServiceProvider.GetRequiredService<IntegrationHub.Web.Infrastructure.Data.HubDbContext>().Set<HookInboxEntry>().SingleAsync();
            Assert.Equal("processed", entry.Outcome);
            await scope.ServiceProvider.GetRequiredService<HookProcessor>().ProcessAsync(entry.Id, CancellationToken.None);
        }

        Assert.Single(await AutoReplyCallsAsync(tenant));
    }

    private async Task<string?> PostForUrlAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/v1/hooks/website-url", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["url"]!.GetValue<string>();
    }

    private static async Task<string> StatusAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<string>();
    }

    private async Task<(Guid Tenant, HttpClient Client)> AutoReplyTenantAsync(string rules)
    {
        var (tenant, client) = await TenantClientAsync();
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var row = await db.Tenants.SingleAsync();
            row.SettingsJson = """{"features":{"auto_replies":true}}""";
            await db.SaveChangesAsync();
        }

        var put = await client.PutAsync("/api/v1/auto-replies", Json(rules));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return (tenant, client);
    }

    private Task VisitorMessageAsync(Guid tenant, string session, string text) =>
        PostAndProcessAsync(SignedHooks.Body("message:send", tenant, new JsonObject
        {
            ["session_id"] = session, ["from"] = "user", ["type"] = "text", ["content"] = text, ["fingerprint"] = ++_fingerprint,
        }));

    private async Task PostAndProcessAsync(string body)
    {
        var response = await Hub.CreateClient().SendAsync(SignedHooks.Request(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await ProcessInboxAsync();
    }

    private async Task ProcessInboxAsync()
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HookProcessor>().ProcessPendingAsync(CancellationToken.None);
    }

    private async Task<List<CrispCall>> AutoReplyCallsAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return await db.Set<CrispCall>().Where(c => c.Kind == CrispCallKinds.ConversationMessage).ToListAsync();
        }
    }

    private async Task<ConversationState?> StateAsync(Guid tenant, string session)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return await db.Set<ConversationState>().SingleOrDefaultAsync(s => s.SessionId == session);
        }
    }
}

public sealed class HookReactionsTestsOnSqlite(SqliteHubFixture fixture) : HookReactionsTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class HookReactionsTestsOnPostgres(PostgresHubFixture fixture) : HookReactionsTests(fixture);
