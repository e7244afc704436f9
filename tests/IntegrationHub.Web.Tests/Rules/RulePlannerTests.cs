using System.Diagnostics;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Rules;

namespace IntegrationHub.Web.Tests.Rules;

public sealed class RulePlannerTests
{
    private readonly RulePlanner _planner = new(new RuleTemplates());

    private static RuleEvent Event(JsonObject? properties = null, string? email = "Ada@Example.com") =>
        new("order.paid", email, "u-1", properties ?? new JsonObject { ["plan"] = "pro", ["amount"] = 120, ["first"] = true, ["items"] = new JsonArray("a", "b") }, DateTimeOffset.UnixEpoch);

    private static RulePlanner.ActiveRule Rule(params RuleAction[] actions) =>
        new(Guid.NewGuid(), Guid.NewGuid(), 1, "r", new RuleDefinition { Trigger = "order.*", Actions = actions });

    private async Task<RulePlanner.RuleOutcome> PlanOneAsync(RuleEvent evt, params RuleAction[] actions) =>
        Assert.Single(await _planner.PlanAsync(evt, [Rule(actions)]));

    [Fact]
    public async Task PeopleEvent_RendersTextDataAndColor()
    {
        var outcome = await PlanOneAsync(Event(), new RuleAction
        {
            Type = RuleActionType.PeopleEvent,
            Text = "Paid {{ properties.amount }} on {{ properties.plan | upcase }}",
            Color = "green",
            Data = new Dictionary<string, string> { ["amount"] = "{{ properties.amount }}", ["first"] = "{{ properties.first }}" },
        });

        var call = Assert.Single(outcome.Calls);
        Assert.Equal(CrispCallKinds.PeopleEventAdd, call.Kind);
        Assert.Equal("ada@example.com", call.Payload["email"]!.GetValue<string>());
        Assert.Equal("Paid 120 on PRO", call.Payload["text"]!.GetValue<string>());
        Assert.Equal("green", call.Payload["color"]!.GetValue<string>());
        Assert.Equal(120, call.Payload["data"]!["amount"]!.GetValue<int>());        // a single variable keeps its JSON type
        Assert.True(call.Payload["data"]!["first"]!.GetValue<bool>());
        Assert.Equal("ada@example.com", call.OrderingKey);
    }

    [Fact]
    public async Task EachActionType_ProducesItsOutboxKind()
    {
        var data = new Dictionary<string, string> { ["plan"] = "{{ properties.plan }}" };
        var outcome = await PlanOneAsync(
            Event(),
            new RuleAction { Type = RuleActionType.PeopleData, Data = data },
            new RuleAction { Type = RuleActionType.PeopleSegmentsAdd, Segments = ["customer", "{{ properties.plan }}"] },
            new RuleAction { Type = RuleActionType.PeopleSegmentsRemove, Segments = ["trial"] },
            new RuleAction { Type = RuleActionType.SessionData, Data = data, CreateConversation = true },
            new RuleAction { Type = RuleActionType.ConversationSegmentsAdd, Segments = ["billing"] },
            new RuleAction { Type = RuleActionType.ConversationSegmentsRemove, Segments = ["onboarding"] },
            new RuleAction { Type = RuleActionType.Note, Text = "Order of {{ properties.amount }} paid" },
            new RuleAction { Type = RuleActionType.CampaignDispatch, CampaignId = "7b1c2d3e-0000-4000-8000-000000000001" });

        Assert.Empty(outcome.Errors);
        Assert.Equal(
            [CrispCallKinds.PeopleDataMerge, CrispCallKinds.PeopleSegmentsAdd, CrispCallKinds.PeopleSegmentsRemove, CrispCallKinds.SessionDataMerge,
             CrispCallKinds.ConversationSegmentsAdd, CrispCallKinds.ConversationSegmentsRemove, CrispCallKinds.ConversationNote, CrispCallKinds.CampaignDispatch],
            outcome.Calls.Select(c => c.Kind));
        Assert.Equal(["customer", "pro"], outcome.Calls[1].Payload["segments"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.True(outcome.Calls[3].Payload["create_conversation"]!.GetValue<bool>());
        Assert.Equal("Order of 120 paid", outcome.Calls[6].Payload["content"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(0, 8), outcome.Calls.Select(c => c.ActionIndex));
    }

    [Fact]
    public async Task DataValueRenderingToNothing_IsLeftOutNotBlanked()
    {
        var outcome = await PlanOneAsync(Event(new JsonObject { ["plan"] = "pro" }), new RuleAction
        {
            Type = RuleActionType.PeopleData,
            Data = new Dictionary<string, string> { ["plan"] = "{{ properties.plan }}", ["age"] = "{{ properties.account_age_days }}" },
        });

        var data = Assert.Single(outcome.Calls).Payload["data"]!.AsObject();
        Assert.Equal(["plan"], data.Select(p => p.Key));
    }

    [Fact]
    public async Task PeopleAction_EventWithoutEmail_ExplainsInsteadOfSending()
    {
        var outcome = await PlanOneAsync(Event(email: null), new RuleAction { Type = RuleActionType.PeopleEvent, Text = "x" });
        Assert.Empty(outcome.Calls);
        Assert.Contains("no email", Assert.Single(outcome.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_InfiniteLoop_FailsSafelyAndQuickly()
    {
        var stopwatch = Stopwatch.StartNew();
        var outcome = await PlanOneAsync(Event(), new RuleAction
        {
            Type = RuleActionType.Note,
            Text = "{% for i in (1..1000000000) %}{% for j in (1..1000000000) %}x{% endfor %}{% endfor %}",
        });

        Assert.Empty(outcome.Calls);
        Assert.Single(outcome.Errors);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10)); // a bound on a hang, not a speed target
    }

    [Fact]
    public async Task Template_NestedLoopsWithinRangeLimit_StopAtStepLimit()
    {
        var outcome = await PlanOneAsync(Event(), new RuleAction
        {
            Type = RuleActionType.Note,
            Text = "{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}x",
        });

        Assert.Empty(outcome.Calls);
        Assert.Contains("too much work", Assert.Single(outcome.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{% for i in (1..properties.amount) %}x{% endfor %}")]
    [InlineData("{% for i in (0..5000) %}x{% endfor %}")]
    public void Template_UnboundedRange_RefusedAtSave(string template)
    {
        Assert.False(RuleTemplates.TryParse(template, out var error));
        Assert.Contains("range", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Template_HugeOutput_IsRefused()
    {
        var outcome = await PlanOneAsync(Event(), new RuleAction { Type = RuleActionType.Note, Text = "{% for i in (1..100) %}{% for j in (1..100) %}0123456789{% endfor %}{% endfor %}" });
        Assert.Empty(outcome.Calls);
        Assert.Contains("characters", Assert.Single(outcome.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ 10 | divided_by: properties.n }}", "divide by zero")]
    [InlineData("{{ 79228162514264337593543950335 | plus: properties.big }}", "too large")]
    [InlineData("{{ 1.5 | round: 99999 }}", "precision")]
    public async Task Template_FailingAtRuntime_FailsThatActionOnly(string template, string why)
    {
        var outcome = await PlanOneAsync(
            Event(new JsonObject { ["n"] = 0, ["big"] = 79228162514264337593543950335m }),
            new RuleAction { Type = RuleActionType.PeopleEvent, Text = template },
            new RuleAction { Type = RuleActionType.Note, Text = "still sent" });

        Assert.Equal(CrispCallKinds.ConversationNote, Assert.Single(outcome.Calls).Kind);
        var error = Assert.Single(outcome.Errors);
        Assert.StartsWith("action 1 (PeopleEvent): The template failed", error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.OrdinalIgnoreCase);
    }

    private const string Doubling = "{% assign s = \"xxxxxxxxxx\" %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}";
    private const string FortyKilobytes = "{% assign a = \"xxxxxxxxxx\" %}{% for i in (1..12) %}{% assign a = a | append: a %}{% endfor %}";

    [Theory]
    [InlineData(Doubling + "{{ s | size }}", "a value of more than 100000")]
    [InlineData("{% assign s = \"xxxxxxxxxx\" %}{% for i in (1..30) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}", "captures more than 100000")]
    [InlineData("{% assign s = \"xxxxxxxxxx\" %}{% for i in (1..30) %}{% assign s = s | prepend: s %}{% endfor %}{{ s | size }}", "a value of more than")]
    [InlineData(FortyKilobytes + "{{ a | replace: \"x\", a | size }}", "a value of more than")]
    [InlineData(FortyKilobytes + "{% assign list = (1..1000) %}{{ list | join: a | size }}", "a value of more than")]
    [InlineData("{% assign list = (1..1000) %}{% for i in (1..10) %}{% assign list = list | concat: list %}{% endfor %}{{ list | size }}", "list items")]
    [InlineData(FortyKilobytes + "{% for i in (1..1000) %}{% assign copy = a | append: \"\" %}{% endfor %}{{ copy | size }}", "in all")]
    [InlineData("{{ \"now\" | date: \"%99999999d\" }}", "width or precision")]
    [InlineData("{% for i in (1..1000) %}{% for j in (1..1000) %}{% assign x = i | plus: j %}{% endfor %}{% endfor %}{{ x }}", "too much work")]
    public async Task Template_BuildingHugeValues_FailsThatActionWithinBoundedMemoryAndTime(string template, string why)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var stopwatch = Stopwatch.StartNew();

        var outcome = await PlanOneAsync(Event(), new RuleAction { Type = RuleActionType.Note, Text = template });

        Assert.Empty(outcome.Calls);
        Assert.Contains(why, Assert.Single(outcome.Errors), StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < 64 * 1024 * 1024, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task Segment_RenderingLongerThanCrispTakes_IsAProblemNotDroppedInSilence()
    {
        var outcome = await PlanOneAsync(
            Event(new JsonObject { ["plan"] = new string('p', 65) }),
            new RuleAction { Type = RuleActionType.PeopleSegmentsAdd, Segments = ["customer", "{{ properties.plan }}"] });

        Assert.Empty(outcome.Calls);
        Assert.Contains("longer than 64 characters", Assert.Single(outcome.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_CaptureAndFiltersWithinLimits_StillWork()
    {
        var outcome = await PlanOneAsync(Event(), new RuleAction
        {
            Type = RuleActionType.Note,
            Text = "{% capture who %}{{ email | split: \"@\" | first }}{% endcapture %}{{ who | capitalize }}: {{ properties.items | join: \", \" | replace: \"a\", \"A\" }}",
        });

        Assert.Equal("Ada: A, b", Assert.Single(outcome.Calls).Payload["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{% include 'appsettings.json' %}")]
    [InlineData("{% render '/etc/passwd' %}")]
    public async Task Template_CannotReadFiles(string template)
    {
        var outcome = await PlanOneAsync(Event(), new RuleAction { Type = RuleActionType.Note, Text = template });
        Assert.DoesNotContain(outcome.Calls, c => c.Payload["content"]!.GetValue<string>().Contains("root:", StringComparison.Ordinal) || c.Payload["content"]!.GetValue<string>().Contains("Logging", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Template_NoDotNetMembersReachable()
    {
        var outcome = await PlanOneAsync(Event(), new RuleAction { Type = RuleActionType.Note, Text = "[{{ properties.plan.GetType }}][{{ email.Length }}]" });
        Assert.Equal("[][]", Assert.Single(outcome.Calls).Payload["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task NonMatchingRule_PlansNothingAndSaysWhy()
    {
        var rule = new RulePlanner.ActiveRule(Guid.NewGuid(), Guid.NewGuid(), 3, "signups", new RuleDefinition
        {
            Trigger = "user.signup",
            Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "x" }],
        });

        var outcome = Assert.Single(await _planner.PlanAsync(Event(), [rule]));

        Assert.False(outcome.Matched);
        Assert.Empty(outcome.Calls);
        Assert.NotEmpty(outcome.Reasons);
    }

    [Fact]
    public async Task SupportContextPreset_SendsPresentKeysToPeopleAndSessionData()
    {
        var preset = new RulePlanner.ActiveRule(Guid.NewGuid(), Guid.NewGuid(), 1, "Support context", RulePresets.SupportContextDefinition);
        var evt = Event(new JsonObject { ["plan_tier"] = "enterprise", ["account_age_days"] = 412, ["recent_errors"] = new JsonArray("E42 checkout timeout") });

        var outcome = Assert.Single(await _planner.PlanAsync(evt, [preset]));

        Assert.True(outcome.Matched);
        Assert.Equal([CrispCallKinds.PeopleDataMerge, CrispCallKinds.SessionDataMerge], outcome.Calls.Select(c => c.Kind));
        var data = outcome.Calls[0].Payload["data"]!.AsObject();
        Assert.Equal("enterprise", data["plan_tier"]!.GetValue<string>());
        Assert.Equal(412, data["account_age_days"]!.GetValue<int>());
        Assert.Contains("E42", data["recent_errors"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextCutToCrispsLimits_EndsOnAWholeCharacter_NeverHalfAnEmoji()
    {
        var text = new string('a', 499) + "\U0001F600 and more";
        var outcome = await PlanOneAsync(
            Event(new JsonObject { ["text"] = text, ["value"] = new string('v', 999) + "\U0001F600" }),
            new RuleAction { Type = RuleActionType.PeopleEvent, Text = "{{ properties.text }}" },
            new RuleAction { Type = RuleActionType.PeopleData, Data = new Dictionary<string, string> { ["v"] = "{{ properties.value }}", ["short"] = "{{ properties.text | truncate: 500, '' }}" } });

        Assert.Empty(outcome.Errors);
        Assert.Equal(new string('a', 499), outcome.Calls[0].Payload["text"]!.GetValue<string>());
        Assert.Equal(new string('v', 999), outcome.Calls[1].Payload["data"]!["v"]!.GetValue<string>());
        // Fluid's truncate counts chars: the half emoji it leaves is dropped, not sent.
        Assert.Equal(new string('a', 499), outcome.Calls[1].Payload["data"]!["short"]!.GetValue<string>());
    }
}
