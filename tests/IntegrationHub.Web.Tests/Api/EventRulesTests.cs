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

    [Theory]
    [InlineData("""{ "event" : "e",  "email":"jane@example.com", "properties" : { "a" : [ 1, 2 ], "b": {"y":1,"x":2} } }""")]
    [InlineData("""{"properties":{"b":{"x":2,"y":1},"a":[1,2]},"email":"jane@example.com","event":"e"}""")]
    [InlineData("""{"event":"e","email":"Jane@Example.COM","properties":{"a":[1,2],"b":{"x":2,"y":1}}}""")]
    [InlineData("""{"event":"\u0065","email":"jane@example.com","properties":{"\u0061":[1,2],"b":{"x":2,"y":1}}}""")]
    public void ContentHash_SameMeaningWrittenOtherwise_IsTheSame(string written)
    {
        var reference = HashOf("""{"event":"e","email":"jane@example.com","properties":{"a":[1,2],"b":{"x":2,"y":1}}}""");

        Assert.Equal(64, reference.Length);
        Assert.Equal(reference, HashOf(written));
    }

    [Fact]
    public void ContentHash_EmptyOrAbsentProperties_AreTheSame()
    {
        Assert.Equal(HashOf("""{"event":"e","user_id":"u"}"""), HashOf("""{"event":"e","user_id":"u","properties":{}}"""));
    }

    [Theory]
    [InlineData("""{"event":"e","email":"jane@example.com","properties":{"a":[2,1],"b":{"x":2,"y":1}}}""")]
    [InlineData("""{"event":"e","email":"jane@example.com","properties":{"a":[1,2],"b":{"x":2,"y":"1"}}}""")]
    [InlineData("""{"event":"e","email":"sam@example.com","properties":{"a":[1,2],"b":{"x":2,"y":1}}}""")]
    [InlineData("""{"event":"f","email":"jane@example.com","properties":{"a":[1,2],"b":{"x":2,"y":1}}}""")]
    [InlineData("""{"event":"e","email":"jane@example.com","user_id":"u","properties":{"a":[1,2],"b":{"x":2,"y":1}}}""")]
    [InlineData("""{"event":"e","email":"jane@example.com","timestamp":"2026-12-01T00:00:00Z","properties":{"a":[1,2],"b":{"x":2,"y":1}}}""")]
    public void ContentHash_OtherContent_Differs(string other)
    {
        Assert.NotEqual(HashOf("""{"event":"e","email":"jane@example.com","properties":{"a":[1,2],"b":{"x":2,"y":1}}}"""), HashOf(other));
    }

    [Fact]
    public void ContentHash_SameInstantInAnotherOffset_IsTheSame()
    {
        Assert.Equal(HashOf("""{"event":"e","user_id":"u","timestamp":"2026-12-01T01:00:00+01:00"}"""),
            HashOf("""{"event":"e","user_id":"u","timestamp":"2026-12-01T00:00:00Z"}"""));
    }

    private static string HashOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new FieldErrors();
        var read = EventRules.Read(document.RootElement, string.Empty, errors, new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.True(read is not null, string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(",", e.Value)}")));
        return read.ContentHash;
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

    [Theory]
    [InlineData("2026-12-06T11:30:00Z", true)]
    [InlineData("2026-12-06t11:30:00z", true)]
    [InlineData("2026-12-06T11:30:00.123456789Z", true)]
    [InlineData("2026-12-06T12:30:00+01:00", true)]
    [InlineData("2026-12-06T12:30:00+0100", true)]
    [InlineData("2026-12-06T12:30+01", true)]
    [InlineData("2026-12-06T11:30:00", false)]
    [InlineData("2026/12/06T11:30:00Z", false)]
    [InlineData("Sun, 2026-12-06T11:30:00Z", false)]
    [InlineData("2026-12-06T10:30:00 -1", false)]
    [InlineData(" 2026-12-06T11:30:00Z", false)]
    [InlineData("2026-12-06T11:30:00Z ", false)]
    [InlineData("2026-12-06 11:30:00Z", false)]
    [InlineData("2026-12-06T11:30:00.Z", false)]
    public void Timestamp_IsIso8601WithAnOffset_NothingLooser(string timestamp, bool valid)
    {
        using var body = JsonDocument.Parse($$"""{"event":"e","user_id":"u","timestamp":"{{timestamp}}"}""");
        var errors = new FieldErrors();

        var read = EventRules.Read(body.RootElement, string.Empty, errors, Now);

        Assert.Equal(valid, read is not null);
        if (valid)
        {
            Assert.Equal(new DateTimeOffset(2026, 12, 6, 11, 30, 0, TimeSpan.Zero), read!.OccurredAt.AddTicks(-(read.OccurredAt.Ticks % TimeSpan.TicksPerSecond)));
        }
        else
        {
            Assert.Equal(["timestamp"], errors.ToDictionary().Keys);
        }
    }
}
