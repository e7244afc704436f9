using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Infrastructure;

public sealed class ConcurrencyTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    [Fact]
    public async Task ParallelWritesAndReads_OnOneWebsite_AreAllAppliedWithoutServerErrors()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var root = $"v1/website/{websiteId}";
        var session = (await client.SendAsync(HttpMethod.Post, root + "/conversation")).Data!["session_id"]!.GetValue<string>();

        var tasks = Enumerable.Range(0, 60).SelectMany(i => new[]
        {
            client.SendAsync(HttpMethod.Post, root + "/people/profile", new { email = $"p{i}@parallel.test" }),
            client.SendAsync(HttpMethod.Post, root + $"/conversation/{session}/message", new { type = "text", from = "operator", origin = "chat", content = $"m{i}" }),
            client.GetAsync(root + "/people/profiles/1"),
            client.GetAsync(root + $"/conversation/{session}/messages"),
        });
        var responses = await Task.WhenAll(tasks);

        Assert.DoesNotContain(responses, r => r.Status >= 500);
        Assert.Equal(60, (await client.GetAsync(root + "/people/stats")).Data!["total"]!.GetValue<int>());
        var count = host.State.Read(s => s.FindWebsite(websiteId)!.Conversations.Single().Messages.Count);
        Assert.Equal(60, count);
        var fingerprints = host.State.Read(s => s.FindWebsite(websiteId)!.Conversations.Single().Messages.Select(m => m.Fingerprint).ToList());
        Assert.Equal(60, fingerprints.Distinct().Count());
        Assert.Equal(1 + (60 * 4) + 1, host.State.GetJournal(websiteId).Count); // create + parallel calls + stats
    }
}
