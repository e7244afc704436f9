using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IntegrationHub.Web.Tests.Foundation;

/// <summary>
/// On SQLite the WAL is checkpointed in the background, not inside a request's COMMIT: hub connections only
/// checkpoint themselves past a high safety threshold, and the checkpointer copies what ingestion wrote.
/// </summary>
public sealed class SqliteWalCheckpointTests(SqliteHubFixture fixture) : HubTestBase(fixture), IClassFixture<SqliteHubFixture>
{
    [Fact]
    public async Task HubConnections_CheckpointOnlyPastTheSafetyThreshold()
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint";

            Assert.Equal((long)SqliteWalCheckpointer.WriterAutoCheckpointPages, (long)(await command.ExecuteScalarAsync())!);
        }
    }

    [Fact]
    public async Task IngestedEvents_AreCheckpointedInTheBackground()
    {
        var checkpointer = Hub.Services.GetServices<IHostedService>().OfType<SqliteWalCheckpointer>().Single();
        var tenant = await Data.TenantAsync();
        var key = await Data.ApiKeyAsync(tenant);
        var client = Hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);
        var before = checkpointer.CompletedCheckpoints;

        var body = new StringBuilder("{\"events\":[");
        for (var i = 0; i < 200; i++)
        {
            body.Append(i == 0 ? "" : ",").Append($$$"""{"event":"viewed","email":"u{{{i}}}@example.com","properties":{"n":{{{i}}}}}""");
        }

        var response = await client.PostAsync("/api/v1/events/batch", new StringContent(body.Append("]}").ToString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (checkpointer.CompletedCheckpoints == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(checkpointer.CompletedCheckpoints > before, "The background checkpointer copied nothing of what ingestion wrote.");
    }
}
