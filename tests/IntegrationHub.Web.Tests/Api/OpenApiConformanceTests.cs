using System.Net;
using System.Text.Json;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// The OpenAPI document says what is on the wire: its examples fit its own schemas, and the API's real answers fit
/// the schemas documented for them — a client generated from the document reads and writes the names the API uses.
/// </summary>
public sealed class OpenApiConformanceTests(SqliteHubFixture fixture) : ApiTestBase(fixture), IClassFixture<SqliteHubFixture>
{
    [Fact]
    public async Task EveryExample_FitsItsOwnSchema()
    {
        var document = await DocumentAsync();
        var errors = new List<string>();
        var checkedExamples = 0;

        foreach (var (path, method, operation) in Operations(document))
        {
            if (operation.TryGetProperty("requestBody", out var body))
            {
                checkedExamples += CheckExamples(document, body, $"{method} {path} request", errors);
            }

            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                checkedExamples += CheckExamples(document, response.Value, $"{method} {path} {response.Name}", errors);
            }
        }

        Assert.True(checkedExamples > 30, $"only {checkedExamples} examples found");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task RealAnswers_FitTheirDocumentedSchemas()
    {
        var document = await DocumentAsync();
        var (tenant, client) = await TenantClientAsync();
        var errors = new List<string>();
        // An event with a call and one whose matched rule could make none (no email): deliveries and rule_problems filled.
        await CreatePeopleEventRuleAsync(tenant, "Signed up", "signup");

        var accepted = await SendAsync(client, HttpMethod.Post, "/api/v1/events",
            """{"event":"signup","email":"jane@example.com","user_id":"u-1","properties":{"plan":"pro"},"message_id":"m-1"}""");
        var eventId = (await CheckAsync(document, accepted, "/api/v1/events", "post", errors)).GetProperty("id").GetString();
        await CheckAsync(document, await client.GetAsync($"/api/v1/events/{eventId}"), "/api/v1/events/{id}", "get", errors);
        var withoutEmail = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"signup","user_id":"u-2"}""");
        var problemId = (await CheckAsync(document, withoutEmail, "/api/v1/events", "post", errors)).GetProperty("id").GetString();
        var problemEvent = await CheckAsync(document, await client.GetAsync($"/api/v1/events/{problemId}"), "/api/v1/events/{id}", "get", errors);
        Assert.Single(problemEvent.GetProperty("rule_problems").EnumerateArray());
        await CheckAsync(document, await SendAsync(client, HttpMethod.Post, "/api/v1/events/batch",
            """{"events":[{"event":"a","user_id":"u-1"},{"event":"b"}]}"""), "/api/v1/events/batch", "post", errors);
        await CheckAsync(document, await SendAsync(client, HttpMethod.Put, "/api/v1/contacts/jane@example.com",
            """{"nickname":"Jane","company":{"name":"Acme"},"segments":["vip"],"data":{"plan":"pro"}}"""), "/api/v1/contacts/{email}", "put", errors);
        await CheckAsync(document, await SendAsync(client, HttpMethod.Patch, "/api/v1/contacts/jane@example.com/context",
            """{"data":{"plan_tier":"pro","account_age_days":40}}"""), "/api/v1/contacts/{email}/context", "patch", errors);
        await CheckAsync(document, await client.GetAsync("/api/v1/deliveries?status=queued"), "/api/v1/deliveries", "get", errors);
        await CheckAsync(document, await client.GetAsync("/api/v1/tenant"), "/api/v1/tenant", "get", errors);

        // Problems too: a validation failure, a bad cursor, an unknown id.
        await CheckAsync(document, await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":""}"""), "/api/v1/events", "post", errors);
        await CheckAsync(document, await client.GetAsync("/api/v1/deliveries?cursor=nope"), "/api/v1/deliveries", "get", errors);
        await CheckAsync(document, await client.GetAsync($"/api/v1/events/{Guid.CreateVersion7()}"), "/api/v1/events/{id}", "get", errors);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private async Task<JsonElement> DocumentAsync()
    {
        using var parsed = JsonDocument.Parse(await Hub.CreateClient().GetStringAsync("/swagger/v1/swagger.json"));
        return parsed.RootElement.Clone();
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where operation.Name is "get" or "post" or "put" or "patch" or "delete"
        select (path.Name, operation.Name, operation.Value);

    private static int CheckExamples(JsonElement document, JsonElement holder, string where, List<string> errors)
    {
        if (!holder.TryGetProperty("content", out var content))
        {
            return 0;
        }

        var count = 0;
        foreach (var media in content.EnumerateObject().Where(m => m.Name.Contains("json", StringComparison.Ordinal)))
        {
            if (media.Value.TryGetProperty("example", out var example) && media.Value.TryGetProperty("schema", out var schema))
            {
                count++;
                errors.AddRange(OpenApiSchemaCheck.Errors(example, schema, document).Select(e => $"{where} example: {e}"));
            }
        }

        return count;
    }

    /// <summary>Checks an answer against the schema its operation documents for its status; returns its body.</summary>
    private static async Task<JsonElement> CheckAsync(JsonElement document, HttpResponseMessage response, string path, string method, List<string> errors)
    {
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = await JsonOf(response);
        var responses = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");
        if (!responses.TryGetProperty(status, out var documented))
        {
            errors.Add($"{method} {path}: answered {status}, which is not documented");
            return body;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        if (!documented.TryGetProperty("content", out var content) || !content.TryGetProperty(mediaType, out var media))
        {
            errors.Add($"{method} {path} {status}: answered {mediaType}, which is not documented");
            return body;
        }

        errors.AddRange(OpenApiSchemaCheck.Errors(body, media.GetProperty("schema"), document).Select(e => $"{method} {path} {status}: {e}"));
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        return body;
    }
}
