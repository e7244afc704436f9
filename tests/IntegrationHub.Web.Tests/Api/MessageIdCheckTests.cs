using System.Collections.Concurrent;
using System.Net;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Idempotency;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// Repeated message ids, whichever way the commit finds them (<c>Api:Ingest:MessageIdCheck</c>): inserting first,
/// a repeat of a stored event refuses the whole commit, which is done again after a lookup — so the repeat answers
/// with the original, and every new event of that commit, of any request or tenant in it, is stored exactly once.
/// </summary>
public abstract class MessageIdCheckTests(IGateClockFixture fixture) : ApiTestBase(fixture)
{
    /// <summary>Whether this hub inserts first (and so counts refused commits).</summary>
    protected abstract bool InsertsFirst { get; }

    [Fact]
    public async Task RepeatsOfStoredMessageIds_AnswerWithTheOriginals_AndTheNewEventsBesideThemAreStoredOnce()
    {
        var (tenant, client) = await TenantClientAsync();
        WaitOutAnyEarlierPause();
        var measurements = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = ListenToIngestMeter(measurements);
        var stored = await JsonOf(await SendAsync(client, HttpMethod.Post, "/api/v1/events/batch",
            """{"events":[{"event":"paid","email":"a@b.example","message_id":"m-1"},{"event":"paid","email":"c@d.example","message_id":"m-2"}]}"""));
        var originals = stored.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToArray();

        var response = await SendAsync(client, HttpMethod.Post, "/api/v1/events/batch", """
            {"events":[
              {"event":"seen","email":"a@b.example","message_id":"m-3"},
              {"event":"paid","email":"a@b.example","message_id":"m-1"},
              {"event":"refunded","email":"c@d.example","message_id":"m-2"},
              {"event":"seen","user_id":"u-4","message_id":"m-4"},
              {"event":"seen","user_id":"u-5"}
            ]}
            """);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var results = (await JsonOf(response)).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["accepted", "duplicate", "rejected", "accepted", "accepted"], results.Select(r => r.GetProperty("status").GetString()!).ToArray());
        Assert.Equal(originals[0], results[1].GetProperty("id").GetGuid());
        Assert.Equal("message_id_conflict", results[2].GetProperty("reason").GetString());
        Assert.Equal(originals[1], results[2].GetProperty("id").GetGuid());
        Assert.Equal(5, await CountAsync<ProductEvent>(tenant));
        Assert.Equal(InsertsFirst ? 1 : 0, Refusals(measurements));

        // Right after a refusal, commits look up first: the next repeat is found without another refused commit.
        var single = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"seen","email":"a@b.example","message_id":"m-3"}""");
        Assert.Equal(results[0].GetProperty("id").GetGuid(), (await JsonOf(single)).GetProperty("id").GetGuid());
        Assert.Equal(InsertsFirst ? 1 : 0, Refusals(measurements));

        // After the pause, commits insert first again, and the next repeat is refused (and answered) like the first.
        fixture.GateClock.Advance(InsertFirstGate.PauseAfterRefusal);
        single = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"seen","user_id":"u-4","message_id":"m-4"}""");
        Assert.Equal(results[3].GetProperty("id").GetGuid(), (await JsonOf(single)).GetProperty("id").GetGuid());
        Assert.Equal(InsertsFirst ? 2 : 0, Refusals(measurements));
        Assert.Equal(5, await CountAsync<ProductEvent>(tenant));
    }

    [Fact]
    public async Task RefusedCommit_OfSeveralTenantsAndAnIdempotencyKey_StoresEachNewEventOnceAndTheKeyReplays()
    {
        var (a, clientA) = await TenantClientAsync("A");
        var (b, clientB) = await TenantClientAsync("B");
        var original = await JsonOf(await SendAsync(clientA, HttpMethod.Post, "/api/v1/events", """{"event":"paid","email":"a@b.example","message_id":"m-1"}"""));
        WaitOutAnyEarlierPause();

        // Sent together, so that they share commits with the repeat (whichever way the commits fall, the answers hold).
        const string repeat = """{"event":"paid","email":"a@b.example","message_id":"m-1"}""";
        var sends = Enumerable.Range(0, 20).Select(i => i == 10
                ? SendAsync(clientA, HttpMethod.Post, "/api/v1/events", repeat, idempotencyKey: "retry-1")
                : SendAsync(i % 2 == 0 ? clientA : clientB, HttpMethod.Post, "/api/v1/events", $$"""{"event":"seen","user_id":"u-{{i}}","message_id":"n-{{i}}"}"""))
            .ToList();
        var responses = await Task.WhenAll(sends);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var answer = await JsonOf(responses[10]);
        Assert.Equal("duplicate", answer.GetProperty("status").GetString());
        Assert.Equal(original.GetProperty("id").GetGuid(), answer.GetProperty("id").GetGuid());
        Assert.Equal(1 + 9, await CountAsync<ProductEvent>(a)); // the original and the even sends but the repeat
        Assert.Equal(10, await CountAsync<ProductEvent>(b));
        Assert.Equal(1, await CountAsync<IdempotencyRecord>(a));

        var replay = await SendAsync(clientA, HttpMethod.Post, "/api/v1/events", repeat, idempotencyKey: "retry-1");
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(original.GetProperty("id").GetGuid(), (await JsonOf(replay)).GetProperty("id").GetGuid());
    }

    /// <summary>An earlier test of this hub may have closed the gate: past its pause, this test's first commit inserts first.</summary>
    private void WaitOutAnyEarlierPause() => fixture.GateClock.Advance(InsertFirstGate.PauseAfterRefusal);

    private static double Refusals(ConcurrentQueue<(string Instrument, double Value)> measurements) =>
        measurements.Where(m => m.Instrument == "hub.ingest.commit.refused").Sum(m => m.Value);
}

/// <summary>A hub whose insert-first gate runs on a clock of the test's (the rest of the hub on the real one).</summary>
public interface IGateClockFixture : IHubFixture
{
    FakeTimeProvider GateClock { get; }
}

internal static class GateClockServices
{
    public static Action<IServiceCollection> Install(FakeTimeProvider clock) => services => services.AddSingleton(provider =>
        new InsertFirstGate(clock, provider.GetRequiredService<IOptions<IngestOptions>>(), provider.GetRequiredService<IOptions<DatabaseOptions>>()));
}

/// <summary>SQLite's default inserts first.</summary>
public sealed class InsertFirstSqliteFixture : SqliteHubFixture, IGateClockFixture
{
    public FakeTimeProvider GateClock { get; } = new();

    protected override Action<IServiceCollection>? Services => GateClockServices.Install(GateClock);
}

public sealed class MessageIdCheckTestsOnSqlite(InsertFirstSqliteFixture fixture) : MessageIdCheckTests(fixture), IClassFixture<InsertFirstSqliteFixture>
{
    protected override bool InsertsFirst => true;
}

public sealed class LookUpFirstSqliteFixture : SqliteHubFixture, IGateClockFixture
{
    public FakeTimeProvider GateClock { get; } = new();

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Api:Ingest:MessageIdCheck"] = "LookUpFirst" };

    protected override Action<IServiceCollection>? Services => GateClockServices.Install(GateClock);
}

public sealed class MessageIdCheckTestsLookingUpFirst(LookUpFirstSqliteFixture fixture) : MessageIdCheckTests(fixture), IClassFixture<LookUpFirstSqliteFixture>
{
    protected override bool InsertsFirst => false;
}

/// <summary>PostgreSQL's default inserts first.</summary>
public sealed class InsertFirstPostgresFixture : OwnPostgresHubFixture, IGateClockFixture
{
    public FakeTimeProvider GateClock { get; } = new();

    protected override Action<IServiceCollection>? Services => GateClockServices.Install(GateClock);
}

public sealed class MessageIdCheckTestsOnPostgres(InsertFirstPostgresFixture fixture) : MessageIdCheckTests(fixture), IClassFixture<InsertFirstPostgresFixture>
{
    protected override bool InsertsFirst => true;
}
