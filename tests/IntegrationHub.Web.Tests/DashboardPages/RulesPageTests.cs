using System.Net;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.DashboardPages;

/// <summary>The rule editor's forms: whatever is posted, a re-rendered form with a message, never a 500.</summary>
public abstract class RulesPageTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
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

    protected async Task<Guid> RuleAsync(Guid tenant)
    {
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            var result = await scope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync("Paid", new RuleDefinition
            {
                Trigger = "order.*",
                Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Paid {{ properties.amount }}" }],
            }, "seed", CancellationToken.None);
            return result.Rule!.Id;
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
