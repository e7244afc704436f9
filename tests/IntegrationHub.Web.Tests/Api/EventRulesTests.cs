using System.Text.Json;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Infrastructure.Api;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// Event validation answers valid payloads through a fast check that builds no JSON paths, and walks a failing one
/// again to say where. The two must agree on every payload, or a bad event would be stored (or a good one refused).
/// </summary>
public sealed class EventRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, bool> Properties() => new()
    {
        { """{"plan":"pro","seats":3,"meta":{"src":"ads"},"items":[{"sku":"A","qty":2}],"ok":true,"none":null}""", true },
        { """{"a":{"b":{"c":{"d":1}}}}""", true },
        { """{"a":{"b":{"c":{"d":{"e":1}}}}}""", false },
        { """{"a":[[[[1]]]]}""", false },
        { """{"a":[[[1]]]}""", true },
        { """{"":1}""", false },
        { "{\"" + new string('k', 128) + "\":1}", true },
        { "{\"" + new string('k', 129) + "\":1}", false },
        { "{\"" + string.Concat(Enumerable.Repeat("é", 100)) + "\":1}", true },
        { "{\"" + string.Concat(Enumerable.Repeat("é", 129)) + "\":1}", false },
        { """{"tab\there":1}""", true },
        { """{"bell\u0007":1}""", false },
        { """{"del\u007f":1}""", false },
        { "{\"c1\u0085\":1}", false },
        { """{"esc\u0041ped":1}""", true },
        { "{\"s\":\"" + new string('x', 8000) + "\"}", true },
        { "{\"s\":\"" + new string('x', 8001) + "\"}", false },
        { "{\"s\":\"" + string.Concat(Enumerable.Repeat("\\u00e9", 8000)) + "\"}", true },
        { "{\"s\":\"" + string.Concat(Enumerable.Repeat("\\u00e9", 8001)) + "\"}", false },
        { """{"n":1e999}""", false },
        { """{"n":-1e308,"m":0.5}""", true },
    };

    [Theory]
    [MemberData(nameof(Properties))]
    public void FastCheck_AgreesWithTheErrorReport(string properties, bool valid)
    {
        using var document = JsonDocument.Parse(properties);

        Assert.Equal(valid, EventRules.PropertiesAreValid(document.RootElement, 1));

        using var body = JsonDocument.Parse($$"""{"event":"e","user_id":"u","properties":{{properties}}}""");
        var errors = new FieldErrors();
        var read = EventRules.Read(body.RootElement, string.Empty, errors, Now);
        Assert.Equal(valid, read is not null);
        Assert.Equal(!valid, errors.Any);
        if (!valid)
        {
            Assert.All(errors.ToDictionary().Keys, key => Assert.StartsWith("properties", key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ContentHash_IgnoresWhitespace_AndTellsDifferentContentApart()
    {
        using var compact = JsonDocument.Parse("""{"event":"e","properties":{"a":[1,2]}}""");
        using var spaced = JsonDocument.Parse("{ \"event\" : \"e\",\n \"properties\" : { \"a\" : [ 1, 2 ] } }");
        using var other = JsonDocument.Parse("""{"event":"e","properties":{"a":[2,1]}}""");

        var hash = EventRules.ContentHashOf(compact.RootElement);

        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, EventRules.ContentHashOf(spaced.RootElement));
        Assert.NotEqual(hash, EventRules.ContentHashOf(other.RootElement));
    }

    [Fact]
    public void StoredProperties_AreCompact_EvenAfterALargePayloadOnTheSameThread()
    {
        var large = "{" + string.Join(",", Enumerable.Range(0, 4).Select(i => $"\"s{i}\":\"{new string('x', 7_000)}\"")) + "}";
        using var big = JsonDocument.Parse($$"""{"event":"e","user_id":"u","properties":{{large}}}""");
        using var small = JsonDocument.Parse("""{ "event": "e", "user_id": "u", "properties": { "k" : 1 } }""");

        var first = EventRules.Read(big.RootElement, string.Empty, new FieldErrors(), Now);
        var second = EventRules.Read(small.RootElement, string.Empty, new FieldErrors(), Now);

        Assert.Equal(large, first!.Properties);
        Assert.Equal("""{"k":1}""", second!.Properties);
    }
}
