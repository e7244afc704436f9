using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Drills;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IntegrationHub.Web.Tests.Drills;

/// <summary>
/// PostgreSQL unreachable under load: the hub reaches its database through a <see cref="PausableTcpForwarder"/>,
/// which the test takes down (connections cut, new ones refused — what a stopped server does) and brings back.
/// Meanwhile the API and the hook intake answer 503 with Retry-After as problem details, never 500 and never after
/// a long wait; afterwards the same hub accepts again without a restart. (The shared cluster is not stopped: other
/// tests use it. <c>bench/drills/run.sh postgres-stop</c> really stops it, by hand only.)
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private DrillDatabase _database = null!;
    private PausableTcpForwarder _forwarder = null!;
    private HubApplicationFactory _hub = null!;
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("hub-outage-").FullName;

    public async Task InitializeAsync()
    {
        _database = await DrillDatabase.CreateAsync(PostgresHubFixture.ServerConnectionString, "outage");
        var direct = new NpgsqlConnectionStringBuilder(_database.ConnectionString);
        _forwarder = new PausableTcpForwarder(direct.Host!, direct.Port);
        _forwarder.Start();
        var viaForwarder = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Host = "127.0.0.1", Port = _forwarder.Port }.ConnectionString;
        _hub = new HubApplicationFactory(DatabaseProvider.Postgres, viaForwarder, _dataDirectory, new Dictionary<string, string?>
        {
            // Every API request checks its key in the database, so the outage reaches authentication too.
            ["Api:Auth:CacheSeconds"] = "0",
        }, web => web.ConfigureLogging(logging => logging.ClearProviders())); // the outage's expected errors are noise here
        _ = _hub.Server;
    }

    [Fact]
    public async Task DatabaseDown_ApiAndHooksAnswer503WithRetryAfterQuickly_ThenRecoverWithoutRestart()
    {
        var tenant = await new TestData(_hub.Services).TenantAsync("Outage");
        var key = (await new TestData(_hub.Services).ApiKeyAsync(tenant)).Plaintext;
        using var client = _hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.Accepted, (await PostEventAsync(client, "before")).StatusCode);

        await _forwarder.StopAsync();

        // Under load: a burst of events, context reads and hooks at once, all while the database is unreachable.
        var requests = Enumerable.Range(0, 30).Select(i => (i % 3) switch
        {
            0 => () => PostEventAsync(client, $"during-{i}"),
            1 => () => client.GetAsync("/api/v1/tenant"),
            _ => (Func<Task<HttpResponseMessage>>)(() => client.SendAsync(SignedHooks.Request(SignedHooks.Body("message:send", tenant, new() { ["session_id"] = $"session_{i}", ["fingerprint"] = i })))),
        });
        var answers = await Task.WhenAll(requests.Select(TimedAsync));

        foreach (var (response, elapsed, what) in answers)
        {
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{what}: 503 without Retry-After");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.EndsWith("/unavailable", problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.True(elapsed < Bound, $"{what} took {elapsed.TotalSeconds:0.0} s: requests must not hang while the database is down");
        }

        _forwarder.Start();

        // The same hub (no restart) accepts again once the database is back: events, reads and hooks.
        await Eventually.UntilAsync(async () => (await PostEventAsync(client, $"after-{Guid.NewGuid():N}")).StatusCode == HttpStatusCode.Accepted,
            "an event accepted after the database came back", TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tenant")).StatusCode);
        var hook = await client.SendAsync(SignedHooks.Request(SignedHooks.Body("message:send", tenant, new() { ["session_id"] = "session_after", ["fingerprint"] = 999 })));
        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
    }

    private static Task<HttpResponseMessage> PostEventAsync(HttpClient client, string messageId) =>
        client.PostAsJsonAsync("/api/v1/events", new { @event = "outage.test", email = "a@outage.example", message_id = messageId });

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed, string What)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var watch = Stopwatch.StartNew();
        var response = await send();
        return (response, watch.Elapsed, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}");
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _forwarder.DisposeAsync();
        await _database.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // harmless leftover in /tmp
        }
    }
}
