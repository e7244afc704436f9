using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IntegrationHub.CrispSimulator.Helpdesk;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Helpdesk;

/// <summary>A live hub whose deliveries are not held back by the default 30-per-minute budget.</summary>
public class HelpdeskLiveFixture : LiveHubFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => HelpdeskHarness.FastDelivery;
}

public class HelpdeskLivePostgresFixture : LivePostgresHubFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => HelpdeskHarness.FastDelivery;
}

/// <summary>Docs archives, API calls and simulator probes shared by the helpdesk tests.</summary>
public static class HelpdeskHarness
{
    public static readonly IReadOnlyDictionary<string, string?> FastDelivery = new Dictionary<string, string?>
    {
        ["Delivery:DefaultBudgetPerMinute"] = "600",
        ["Delivery:MaxBudgetPerMinute"] = "600",
    };

    public static string Doc(string title, string body, string? description = null, bool? published = null, int? position = null)
    {
        var front = new StringBuilder("---\n").Append("title: ").Append(title).Append('\n');
        if (description is not null)
        {
            front.Append("description: ").Append(description).Append('\n');
        }

        if (published is not null)
        {
            front.Append("published: ").Append(published.Value ? "true" : "false").Append('\n');
        }

        if (position is not null)
        {
            front.Append("position: ").Append(position.Value).Append('\n');
        }

        return front.Append("---\n").Append(body).ToString();
    }

    public static byte[] Zip(IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, byte[]>? raw = null)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }

            foreach (var (name, bytes) in raw ?? new Dictionary<string, byte[]>())
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    public static HttpClient ApiClient(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static async Task<(HttpResponseMessage Response, JsonElement Body)> PostSyncAsync(HttpClient client, byte[] zip, string query = "")
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var response = await client.PostAsync("/api/v1/helpdesk/sync" + query, content);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return (response, document.RootElement.Clone());
    }

    public static async Task<JsonElement> WaitForSyncAsync(HttpClient client, string syncId)
    {
        return await Eventually.UntilAsync(
            async () =>
            {
                using var document = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/helpdesk/sync/{syncId}"));
                return document.RootElement.Clone();
            },
            body => body.GetProperty("status").GetString() != "pending",
            $"helpdesk sync {syncId} to finish",
            TimeSpan.FromSeconds(60));
    }

    /// <summary>Write requests (not GET) the simulator saw on the website's helpdesk routes.</summary>
    public static int HelpdeskWrites(LiveSimulator simulator, Guid websiteId, string? method = null, string? pathPart = null) =>
        simulator.State.GetJournal(websiteId.ToString("D")).Count(e =>
            e.Method != "GET" && e.Method != "HEAD" && e.Path.Contains("/helpdesk/", StringComparison.Ordinal)
            && (method is null || e.Method == method) && (pathPart is null || e.Path.Contains(pathPart, StringComparison.Ordinal)));

    /// <summary>A copy of the simulator's node at <paramref name="path"/> (null when absent).</summary>
    public static SimFile? Node(LiveSimulator simulator, Guid websiteId, string path, string locale = "en", string contentType = "articles") =>
        simulator.State.Read(state =>
        {
            var root = state.FindWebsite(websiteId.ToString("D"))!.Helpdesk.FindLocale(locale)!.Tree(contentType);
            var node = KbTree.Find(root, path.Split('/'));
            return node is null ? null : new SimFile(node.Content, node.Metadata.Title, node.Metadata.Description, node.Metadata.Published, node.Metadata.Hidden, node.Metadata.Featured, node.IsFolder);
        });

    /// <summary>Changes a file in the simulator as someone editing in Crisp's own editor would.</summary>
    public static void EditInCrisp(LiveSimulator simulator, Guid websiteId, string path, string content) =>
        simulator.State.Read(state =>
        {
            var root = state.FindWebsite(websiteId.ToString("D"))!.Helpdesk.FindLocale("en")!.Tree("articles");
            KbTree.Find(root, path.Split('/'))!.Content = content;
            return 0;
        });
}

/// <summary>A copy of a simulator tree node's state.</summary>
public sealed record SimFile(string Content, string? Title, string? Description, bool Published, bool Hidden, bool Featured, bool IsFolder);
