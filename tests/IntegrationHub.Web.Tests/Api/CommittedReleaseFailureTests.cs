using System.Data.Common;
using System.Net;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// A SQLite hub where, while <see cref="FailReleases"/> is above zero, closing the connection of an ingest commit that
/// has just committed throws — as a connection reset while it returns to the pool would: the batch is stored, and
/// only its clean-up failed.
/// </summary>
public sealed class FailingReleaseAfterCommitSqliteFixture : SqliteHubFixture
{
    private int _failReleases;

    public CapturedLogs Logs { get; } = new();

    public int FailReleases
    {
        get => Volatile.Read(ref _failReleases);
        set => Volatile.Write(ref _failReleases, value);
    }

    protected override Action<IServiceCollection>? Services => services =>
    {
        services.AddSingleton<ILoggerProvider>(Logs);
        services.ConfigureDbContext<SqliteHubDbContext>(options => options.AddInterceptors(new FailReleaseAfterCommit(this)));
    };

    private sealed class FailReleaseAfterCommit(FailingReleaseAfterCommitSqliteFixture fixture) : DbConnectionInterceptor
    {
        // The ingest writer's contexts are the ones that never detect changes (it adds rows it built itself), and
        // they close their connection only once their transaction has ended.
        public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
        {
            if (fixture.FailReleases > 0 && eventData.Context is { ChangeTracker.AutoDetectChangesEnabled: false }
                && Interlocked.Decrement(ref fixture._failReleases) >= 0)
            {
                throw new IOException("connection reset while returning it to the pool");
            }

            return ValueTask.FromResult(result);
        }
    }
}

/// <summary>
/// Once COMMIT has returned, the batch is stored whatever releasing its transaction does: a failure there used to send
/// the committed batch to the one-by-one fallback, which stored an event without a message id a second time.
/// </summary>
public sealed class CommittedReleaseFailureTests(FailingReleaseAfterCommitSqliteFixture fixture)
    : ApiTestBase(fixture), IClassFixture<FailingReleaseAfterCommitSqliteFixture>, IDisposable
{
    public void Dispose() => fixture.FailReleases = 0;

    [Fact]
    public async Task ReleasingACommittedBatchFails_EventsStoredOnceAndAnsweredAccepted()
    {
        var (tenant, client) = await TenantClientAsync("A");
        fixture.Logs.Clear();
        fixture.FailReleases = 1;

        var response = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"signup","user_id":"u-1"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("\"accepted\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, fixture.FailReleases);
        Assert.Contains(fixture.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Releasing the transaction of a committed group", StringComparison.Ordinal));
        Assert.Equal(1, await CountAsync<ProductEvent>(tenant));

        // The writer goes on with the next commit as usual.
        var next = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"signup","user_id":"u-2"}""");
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        Assert.Equal(2, await CountAsync<ProductEvent>(tenant));
    }
}
