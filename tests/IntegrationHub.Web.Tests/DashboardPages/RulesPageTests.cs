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
