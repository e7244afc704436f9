using System.Net;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.DashboardPages;

/// <summary>The rule editor's forms: whatever is posted, a re-rendered form with a message, never a 500.</summary>
public abstract partial class RulesPageTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    public static TheoryData<string, string, string> MissingFields => new()
    {
        { "Name", "", "A name of 1 to 200 characters is required." },
        { "Name", "   ", "A name of 1 to 200 characters is required." },
        { "Trigger", "", "An event name (letters, digits" },
    };

    [Theory]
    [MemberData(nameof(MissingFields))]
    public async Task NewRule_EmptyNameOrTrigger_FormAgainWithTheMessage(string field, string value, string message)
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);

        var response = await PostAsync(client, $"/t/{tenant:D}/rules/new", $"/t/{tenant:D}/rules/new", Fields(field, value));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await RuleCountAsync(tenant));
    }

    [Theory]
    [MemberData(nameof(MissingFields))]
    public async Task EditRule_EmptyNameOrTrigger_FormAgainWithTheMessage(string field, string value, string message)
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var ruleId = await RuleAsync(tenant);

        var response = await PostAsync(client, $"/t/{tenant:D}/rules/{ruleId:D}", $"/t/{tenant:D}/rules/{ruleId:D}", Fields(field, value));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> RefusedValues => new()
    {
        { "ConditionMode", "Bogus", "Pick one of the values offered." },
        { "Conditions[0].Operator", "Nope", "Pick one of the values offered." },
        { "Actions[0].Text", "{{ propertes.plan }}", "Unknown field &#x27;propertes&#x27;" },
        { "Actions[0].Text", "{{ email | nosuchfilter }}", "Unknown filter &#x27;nosuchfilter&#x27;" },
        { "Actions[0].Text", "{% include \"x\" %}", "include and render are not available" },
    };

    [Theory]
    [MemberData(nameof(RefusedValues))]
    public async Task NewRule_ValueThatWouldBeIgnoredOrFail_FormAgainWithTheMessage(string field, string value, string message)
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var fields = Fields(field, value).Append(("Conditions[0].Field", "properties.plan")).Append(("Conditions[0].Value", "pro")).ToArray();

        var response = await PostAsync(client, $"/t/{tenant:D}/rules/new", $"/t/{tenant:D}/rules/new", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await RuleCountAsync(tenant));
    }

    [Theory]
    [InlineData("Paid")]
    [InlineData("  pAID ")]
    public async Task NewRule_NameAnotherRuleHas_FormAgainWithTheMessageNextToTheName(string name)
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        await RuleAsync(tenant, "Paid");

        var response = await PostAsync(client, $"/t/{tenant:D}/rules/new", $"/t/{tenant:D}/rules/new", Fields("Name", name));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Matches("id=\"Name\"[^>]*/>\\s*<div class=\"field-error\">Another rule is already called", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, await RuleCountAsync(tenant));
    }

    [Fact]
    public async Task NewRule_AnotherWebsitesRuleHasTheName_Created()
    {
        var tenant = await Data.TenantAsync("Acme");
        var other = await Data.TenantAsync("Other");
        await RuleAsync(other, "Paid");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);

        var response = await PostAsync(client, $"/t/{tenant:D}/rules/new", $"/t/{tenant:D}/rules/new", Fields("Name", "Paid"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, await RuleCountAsync(tenant));
    }

    [Fact]
    public async Task EditRule_RenamedToAnotherRulesName_Refused_KeepingItsOwnNameOrChangingItsCaseIsNot()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        await RuleAsync(tenant, "Paid");
        var refunds = await RuleAsync(tenant, "Refunds");
        var edit = $"/t/{tenant:D}/rules/{refunds:D}";

        var renamed = await PostAsync(client, edit, edit, Fields("Name", "PAID "));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, renamed.StatusCode);
        Assert.Contains("Another rule is already called", await renamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((1, "Refunds"), await CurrentVersionAsync(tenant, refunds));
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(client, edit, edit, Fields("Name", "Refunds"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostAsync(client, edit, edit, Fields("Name", "REFUNDS"))).StatusCode);
        Assert.Equal((3, "REFUNDS"), await CurrentVersionAsync(tenant, refunds));
    }

    [Fact]
    public async Task NewRule_SameNamePostedManyTimesAtOnce_OneRuleCreated()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var token = await Browser.AntiforgeryTokenAsync(client, $"/t/{tenant:D}/rules/new");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            var fields = Fields("Name", "Paid").ToDictionary(f => f.Key, f => f.Value);
            fields["__RequestVerificationToken"] = token;
            return (await client.PostAsync($"/t/{tenant:D}/rules/new", new FormUrlEncodedContent(fields))).StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Redirect));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.UnprocessableEntity));
        Assert.Equal(1, await RuleCountAsync(tenant));
    }

    [Fact]
    public async Task SupportContextPreset_ARuleAlreadyHasItsName_SwitchedOnUnderTheNextFreeName()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        await RuleAsync(tenant, "support CONTEXT");

        var response = await PostAsync(client, $"/t/{tenant:D}/rules", $"/t/{tenant:D}/rules/presets/support-context");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(">Support context 2</a>", await client.GetStringAsync($"/t/{tenant:D}/rules"), StringComparison.Ordinal);
        Assert.Equal(2, await RuleCountAsync(tenant));
    }

    public static TheoryData<string[], string, string> HalfFilledRows => new()
    {
        { ["Conditions[0].Field", "", "Conditions[0].Operator", "Equals", "Conditions[0].Value", "pro"], "Name the field this condition tests", "value=\"pro\"" },
        { ["Conditions[0].Field", " ", "Conditions[0].Operator", "Exists", "Conditions[0].Value", ""], "Name the field this condition tests", "<option value=\"Exists\" selected=\"selected\">" },
        { ["Actions[1].Type", "", "Actions[1].Text", "Welcome aboard"], "Pick what this action does", "value=\"Welcome aboard\"" },
        { ["Actions[1].Type", "", "Actions[1].Segments", "vip"], "Pick what this action does", ">vip</textarea>" },
    };

    [Theory]
    [MemberData(nameof(HalfFilledRows))]
    public async Task NewRule_HalfFilledRow_FormAgainWithTheRowAndItsMessage_NothingSaved(string[] row, string message, string kept)
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var fields = Fields("Name", "Paid orders").Concat(row.Chunk(2).Select(p => (p[0], p[1]))).ToArray();

        var response = await PostAsync(client, $"/t/{tenant:D}/rules/new", $"/t/{tenant:D}/rules/new", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains(kept, html, StringComparison.Ordinal);
        Assert.Equal(0, await RuleCountAsync(tenant));
    }

    [Fact]
    public async Task EditRule_HalfFilledActionBeforeAnotherActionsError_EachMessageNextToItsOwnRow()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var ruleId = await RuleAsync(tenant);
        var edit = $"/t/{tenant:D}/rules/{ruleId:D}";

        var response = await PostAsync(client, edit, edit, [.. Fields("Actions[0].Type", ""), ("Actions[1].Type", "Note"), ("Actions[1].Text", "{{ propertes.plan }}")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var first = html.IndexOf("<legend>Action 1</legend>", StringComparison.Ordinal);
        var second = html.IndexOf("<legend>Action 2</legend>", StringComparison.Ordinal);
        Assert.InRange(html.IndexOf("Pick what this action does", StringComparison.Ordinal), first, second);
        Assert.True(html.IndexOf("Unknown field &#x27;propertes&#x27;", StringComparison.Ordinal) > second);
        Assert.Equal((1, "Paid"), await CurrentVersionAsync(tenant, ruleId));
    }

    [Fact]
    public async Task EditRule_SavedBySomeoneElseSinceOpened_409WithTheInputKept_ThenSavingAgainReplacesIt()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var ruleId = await RuleAsync(tenant);
        var edit = $"/t/{tenant:D}/rules/{ruleId:D}";
        Assert.Contains("name=\"BaseVersion\" value=\"1\"", await client.GetStringAsync(edit), StringComparison.Ordinal);
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            var colleague = await scope.ServiceProvider.GetRequiredService<RuleService>().UpdateAsync(ruleId, "Colleague's name", new RuleDefinition
            {
                Trigger = "order.paid",
                Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Colleague" }],
            }, "colleague@acme.example", CancellationToken.None);
            Assert.True(colleague.Succeeded);
        }

        var stale = await PostAsync(client, edit, edit, [.. Fields("Name", "My stale edit"), ("BaseVersion", "1")]);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var html = await stale.Content.ReadAsStringAsync();
        Assert.Contains("Someone saved version 2 of this rule after you opened it", html, StringComparison.Ordinal);
        Assert.Contains("value=\"My stale edit\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"BaseVersion\" value=\"2\"", html, StringComparison.Ordinal);
        Assert.Equal((2, "Colleague's name"), await CurrentVersionAsync(tenant, ruleId));

        var again = await PostAsync(client, edit, edit, [.. Fields("Name", "My stale edit"), ("BaseVersion", "2")]);

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal((3, "My stale edit"), await CurrentVersionAsync(tenant, ruleId));
    }

    [Fact]
    public async Task EditRule_SavedManyTimesAtOnce_EachSavedOrRefusedAsAConflict_Never500()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var ruleId = await RuleAsync(tenant);
        var edit = $"/t/{tenant:D}/rules/{ruleId:D}";
        var token = await Browser.AntiforgeryTokenAsync(client, edit);

        // Forms without a base version (as before the field existed) all read version 1 and race for version 2.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var fields = Fields("Name", $"Edit {i}").ToDictionary(f => f.Key, f => f.Value);
            fields["__RequestVerificationToken"] = token;
            return (await client.PostAsync(edit, new FormUrlEncodedContent(fields))).StatusCode;
        }));

        Assert.All(statuses, status => Assert.Contains(status, new[] { HttpStatusCode.Redirect, HttpStatusCode.Conflict }));
        var (version, _) = await CurrentVersionAsync(tenant, ruleId);
        Assert.Equal(1 + statuses.Count(s => s == HttpStatusCode.Redirect), version);
    }

    [Theory]
    [InlineData("""{"event":"order.paid","event":"user.signup"}""", "repeats a property name")]
    [InlineData("""{"event":"order.paid","properties":{"plan":"pro","plan":"free"}}""", "repeats a property name")]
    [InlineData("""{"event":"order.paid","email":"\ud800@example.com"}""", "unpaired surrogate")]
    [InlineData("""{"event":"order.paid","email":"a@b.example","properties":["plan","pro"]}""", "properties: Must be an object, not an array.")]
    [InlineData("""{"event":"order.paid","email":"a@b.example","properties":"pro"}""", "properties: Must be an object, not a string.")]
    [InlineData("""{"event":"order.paid","email":42}""", "email: Must be a string, not a number.")]
    [InlineData("""{"event":"order.paid","email":"a@b.example","timestamp":12}""", "timestamp: Must be a string, not a number.")]
    [InlineData("""{"event":"order.paid","email":"not an email"}""", "The API would refuse this event: email:")]
    [InlineData("""{"event":"order.paid","email":"a@b.example","timestamp":"2026-11-25T09:30:00"}""", "timestamp: Must be an ISO-8601 date and time with an offset")]
    [InlineData("""{"event":"order.paid"}""", "email: Give an email and/or a user_id")]
    [InlineData("""{"event":"order.paid","email":"a@b.example","mesage_id":"m-1"}""", "mesage_id:")]
    public async Task Preview_EventJsonThatIsNotPlainJson_FormAgainWithTheMessage(string eventJson, string message)
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var preview = $"/t/{tenant:D}/rules/preview";

        var response = await PostAsync(client, preview, preview, ("eventJson", eventJson));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("order.paid", html, StringComparison.Ordinal); // the pasted event is still there to fix
        Assert.DoesNotContain("System.", html, StringComparison.Ordinal); // the API's words, not the framework's
    }

    [Fact]
    public async Task NewRule_SegmentLongerThanCrispTakes_FormAgainWithTheMessageNextToSegments()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var fields = Fields("Actions[0].Type", "PeopleSegmentsAdd").Append(("Actions[0].Segments", "vip\n" + new string('s', 65))).ToArray();

        var response = await PostAsync(client, $"/t/{tenant:D}/rules/new", $"/t/{tenant:D}/rules/new", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("segments[1]: Crisp segments are 1 to 64 characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await RuleCountAsync(tenant));
    }

    [Fact]
    public async Task Preview_ListsTheWebsitesLastTwentyEvents_OnlyItsOwn()
    {
        var tenant = await Data.TenantAsync("Acme");
        var other = await Data.TenantAsync("Other");
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < 22; i++)
        {
            await StoredEventAsync(tenant, $"acme.e{i:00}", start.AddMinutes(i));
        }

        await StoredEventAsync(other, "other.secret", start.AddMinutes(30));
        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);

        var html = await client.GetStringAsync($"/t/{tenant:D}/rules/preview");

        Assert.Equal(Enumerable.Range(2, 20).Reverse().Select(i => $"acme.e{i:00}"), EventNames().Matches(html).Select(m => m.Groups[1].Value));
        Assert.DoesNotContain("other.secret", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_PickARecentEvent_FillsItAndShowsTheCalls()
    {
        var tenant = await Data.TenantAsync("Acme");
        await RuleAsync(tenant);
        var eventId = await StoredEventAsync(tenant, "order.paid", DateTimeOffset.UtcNow, """{"amount":150}""");
        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var page = await client.GetStringAsync($"/t/{tenant:D}/rules/preview");
        Assert.Contains($"/t/{tenant:D}/rules/preview?eventId={eventId:D}", page, StringComparison.Ordinal);

        var response = await client.GetAsync($"/t/{tenant:D}/rules/preview?eventId={eventId:D}");

        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"event\": \"order.paid\"", html, StringComparison.Ordinal);
        Assert.Contains("\"amount\": 150", html, StringComparison.Ordinal);
        Assert.Contains($"POST /v1/website/{tenant:D}/people/events/ada%40example.com", html, StringComparison.Ordinal);
        Assert.Contains("\"text\": \"Paid 150\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_AndDeliveryDetail_ShowAccentsScriptsAndMarkupAsWritten_NotAsEscapes()
    {
        const string written = "Renée ✓ 東京 & <b>";
        var tenant = await Data.TenantAsync("Acme");
        await RuleAsync(tenant);
        var eventId = await StoredEventAsync(tenant, "order.paid", DateTimeOffset.UtcNow, $$"""{"amount":"{{written}}"}""");
        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);

        var preview = await client.GetStringAsync($"/t/{tenant:D}/rules/preview?eventId={eventId:D}");
        var callId = await CallAsync(tenant, Web.Features.Delivery.CrispCallStatus.Sent, "renée@東京.example");
        var detail = await client.GetStringAsync($"/t/{tenant:D}/deliveries/{callId}");

        // Both pages used to show "Ren\u00E9e \u2713 \u6771\u4EAC \u0026 \u003Cb\u003E"; the markup is still encoded.
        Assert.Contains("&quot;amount&quot;: &quot;Ren&#xE9;e &#x2713; &#x6771;&#x4EAC; &amp; &lt;b&gt;&quot;", preview, StringComparison.Ordinal);
        Assert.Contains("&quot;text&quot;: &quot;Paid Ren&#xE9;e &#x2713; &#x6771;&#x4EAC; &amp; &lt;b&gt;&quot;", preview, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", WebUtility.HtmlDecode(preview), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&quot;email&quot;: &quot;ren&#xE9;e@&#x6771;&#x4EAC;.example&quot;", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_AnotherWebsitesEventId_NotFoundAndNotShown()
    {
        var tenant = await Data.TenantAsync("Acme");
        var other = await Data.TenantAsync("Other");
        var theirs = await StoredEventAsync(other, "other.secret", DateTimeOffset.UtcNow, """{"card":"4242"}""");
        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);

        var response = await client.GetAsync($"/t/{tenant:D}/rules/preview?eventId={theirs:D}");

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No such event among this website", html, StringComparison.Ordinal);
        Assert.DoesNotContain("other.secret", html, StringComparison.Ordinal);
        Assert.DoesNotContain("4242", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_PickedEvent_OnlyForTheWebsitesMembers()
    {
        var tenant = await Data.TenantAsync("Acme");
        var other = await Data.TenantAsync("Other");
        var eventId = await StoredEventAsync(tenant, "acme.secret", DateTimeOffset.UtcNow);
        var outsider = await MemberAsync(other, "owner@other.example", TenantRole.Owner);

        var response = await outsider.GetAsync($"/t/{tenant:D}/rules/preview?eventId={eventId:D}");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("acme.secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<Guid> StoredEventAsync(Guid tenant, string name, DateTimeOffset acceptedAt, string properties = "{}")
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var stored = new ProductEvent
            {
                Id = Guid.NewGuid(),
                Name = name,
                Email = "ada@example.com",
                Properties = properties,
                ContentHash = new string('0', 64),
                OccurredAt = acceptedAt,
                AcceptedAt = acceptedAt,
            };
            db.Set<ProductEvent>().Add(stored);
            await db.SaveChangesAsync();
            return stored.Id;
        }
    }

    [GeneratedRegex(@"<td><code>([^<]+)</code></td>")]
    private static partial Regex EventNames();

    /// <summary>A valid rule's fields, one of them replaced.</summary>
    protected static (string Key, string Value)[] Fields(string field, string value)
    {
        var fields = new Dictionary<string, string>
        {
            ["Name"] = "Paid orders",
            ["Trigger"] = "order.*",
            ["ConditionMode"] = "All",
            ["Actions[0].Type"] = "PeopleEvent",
            ["Actions[0].Text"] = "Paid {{ properties.amount }}",
        };
        fields[field] = value;
        return fields.Select(f => (f.Key, f.Value)).ToArray();
    }

    protected async Task<Guid> RuleAsync(Guid tenant, string name = "Paid")
    {
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            var result = await scope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync(name, new RuleDefinition
            {
                Trigger = "order.*",
                Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Paid {{ properties.amount }}" }],
            }, "seed", CancellationToken.None);
            return result.Rule!.Id;
        }
    }

    private async Task<(int Version, string Name)> CurrentVersionAsync(Guid tenant, Guid ruleId)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var rule = await db.Set<Rule>().AsNoTracking().SingleAsync(r => r.Id == ruleId);
            return (rule.CurrentVersion, rule.Name);
        }
    }

    protected async Task<int> RuleCountAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return await db.Set<Rule>().CountAsync();
        }
    }
}

public sealed class RulesPageTestsOnSqlite(SqliteHubFixture fixture) : RulesPageTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class RulesPageTestsOnPostgres(PostgresHubFixture fixture) : RulesPageTests(fixture);
