using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>Tests of the public API: a tenant with a key, and a client that speaks for it.</summary>
public abstract class ApiTestBase(IHubFixture fixture) : HubTestBase(fixture)
{
    protected async Task<(Guid Tenant, HttpClient Client)> TenantClientAsync(string name = "Acme")
    {
        var tenant = await Data.TenantAsync(name);
        var key = await Data.ApiKeyAsync(tenant);
        return (tenant, Client(key.Plaintext));
    }

    /// <summary>How many rows of <typeparamref name="T"/> the tenant has (read in its own scope).</summary>
    protected async Task<int> CountAsync<T>(Guid tenant)
        where T : class
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return await db.Set<T>().CountAsync();
        }
    }

    protected HttpClient Client(string key)
    {
        var client = Hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    protected static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    protected static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = Json(json) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    protected static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 answer with the hub's stable type and the request's trace id; returns it.</summary>
    protected static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string? type = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("https://integrationhub.dev/problems/", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        if (type is not null)
        {
            Assert.Equal("https://integrationhub.dev/problems/" + type, problem.GetProperty("type").GetString());
        }

        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("trace_id").GetString()));
        return problem;
    }

    /// <summary>
    /// Records this hub's <c>IntegrationHub.Ingest</c> measurements, and only this hub's: other test classes run
    /// their own hubs in the same process at the same time.
    /// </summary>
    protected MeterListener ListenToIngestMeter(ConcurrentQueue<(string Instrument, double Value)> measurements)
    {
        var scope = Hub.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == IngestMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => measurements.Enqueue((instrument.Name, value)));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => measurements.Enqueue((instrument.Name, value)));
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measurements.Enqueue((instrument.Name, value)));
        listener.Start();
        return listener;
    }

    /// <summary>A rule of <paramref name="tenant"/>: each <paramref name="trigger"/> event makes a people event named <paramref name="name"/>.</summary>
    protected async Task CreatePeopleEventRuleAsync(Guid tenant, string name, string trigger)
    {
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            await scope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync(name, new RuleDefinition
            {
                Trigger = trigger,
                Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = name }],
            }, "test", CancellationToken.None);
        }
    }

    /// <summary><c>hub.ingest.queue.depth</c> now, as the listener of <see cref="ListenToIngestMeter"/> collects it.</summary>
    protected static int QueueDepth(MeterListener listener, ConcurrentQueue<(string Instrument, double Value)> measurements)
    {
        listener.RecordObservableInstruments();
        return (int)measurements.Last(m => m.Instrument == "hub.ingest.queue.depth").Value;
    }
}
