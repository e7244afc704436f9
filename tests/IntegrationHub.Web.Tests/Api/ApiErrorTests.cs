using System.Net;
using System.Text;
using IntegrationHub.Web.Features.Contacts;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>Every class of bad input is a 4xx problem, never a 500, and writes nothing.</summary>
public abstract class ApiErrorTests(IHubFixture fixture) : ApiTestBase(fixture)
{
    public static TheoryData<string, string, int, string, string?> BadRequests => new()
    {
        // url, body, status, type, field that must be named in errors
        { "/api/v1/events", "{\"event\":\"a\",", 400, "invalid-json", null },
        { "/api/v1/events", "", 400, "invalid-json", null },
        { "/api/v1/events", "{'event':'a'}", 400, "invalid-json", null },
        { "/api/v1/events", "{\"event\":\"a\",\"email\":\"a@b.example\",}", 400, "invalid-json", null },
        { "/api/v1/events", new string('[', 40) + new string(']', 40), 400, "invalid-json", null },
        { "/api/v1/events", "[1,2]", 422, "validation-failed", "$" },
        { "/api/v1/events", "\"event\"", 422, "validation-failed", "$" },
        { "/api/v1/events", "{\"email\":\"a@b.example\"}", 422, "validation-failed", "event" },
        { "/api/v1/events", "{\"event\":\"a\"}", 422, "validation-failed", "email" },
        { "/api/v1/events", "{\"event\":42,\"email\":\"a@b.example\"}", 422, "validation-failed", "event" },
        { "/api/v1/events", "{\"event\":\"a\",\"email\":[\"a@b.example\"]}", 422, "validation-failed", "email" },
        { "/api/v1/events", "{\"event\":\"a\",\"email\":\"nope\"}", 422, "validation-failed", "email" },
        { "/api/v1/events", "{\"event\":\"a\",\"email\":\"a@b.example\",\"properties\":[1]}", 422, "validation-failed", "properties" },
        { "/api/v1/events", "{\"event\":\"a\",\"email\":\"a@b.example\",\"properties\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":1}}}}}}}", 422, "validation-failed", "properties.a.b.c.d.e" },
        { "/api/v1/events", "{\"event\":\"a\",\"email\":\"a@b.example\",\"timestamp\":\"yesterday\"}", 422, "validation-failed", "timestamp" },
        { "/api/v1/events", "{\"event\":\"a\",\"email\":\"a@b.example\",\"timestamp\":\"2026-01-01T00:00:00\"}", 422, "validation-failed", "timestamp" },
        { "/api/v1/events", "{\"event\":\"a\",\"email\":\"a@b.example\",\"timestamp\":\"2999-01-01T00:00:00Z\"}", 422, "validation-failed", "timestamp" },
        { "/api/v1/events", "{\"event\":\"a\",\"email\":\"a@b.example\",\"timestamp\":12345}", 422, "validation-failed", "timestamp" },
        { "/api/v1/events", "{\"event\":\"" + new string('a', 101) + "\",\"email\":\"a@b.example\"}", 422, "validation-failed", "event" },
        { "/api/v1/events", "{\"event\":\"a\",\"user_id\":\"" + new string('u', 129) + "\"}", 422, "validation-failed", "user_id" },
        { "/api/v1/events", "{\"event\":\"a\",\"user_id\":\"u\",\"message_id\":\"has space\"}", 422, "validation-failed", "message_id" },
        { "/api/v1/events", "{\"event\":\"a\\u0000b\",\"user_id\":\"u\"}", 422, "validation-failed", "event" },
        { "/api/v1/events", "{\"event\":\"a\",\"user_id\":\"u\",\"kind\":\"track\"}", 422, "validation-failed", "kind" },
        { "/api/v1/events", "{\"event\":\"a\",\"user_id\":\"u\",\"properties\":{\"n\":1e999}}", 422, "validation-failed", "properties.n" },
        { "/api/v1/events/batch", "{\"events\":{}}", 422, "validation-failed", "events" },
        { "/api/v1/events/batch", "{\"evnts\":[]}", 422, "validation-failed", "evnts" },
        { "/api/v1/events/batch", "[]", 422, "validation-failed", "$" },
        { "/api/v1/events/batch", "{\"events\":[", 400, "invalid-json", null },
        // Unpaired surrogate escapes parse but are not text: anywhere in the body, the body is malformed.
        { "/api/v1/events", "{\"event\":\"\\ud800\",\"email\":\"a@b.example\"}", 400, "invalid-json", null },
        { "/api/v1/events", "{\"event\":\"a\",\"email\":\"a@b.example\",\"properties\":{\"\\udc00x\":1}}", 400, "invalid-json", null },
        { "/api/v1/events/batch", "{\"events\":[{\"event\":\"a\",\"user_id\":\"u\"},{\"event\":\"b\",\"user_id\":\"\\ud83d\"}]}", 400, "invalid-json", null },
        // A repeated name means nothing certain.
        { "/api/v1/events", "{\"event\":\"a\",\"email\":\"a@b.example\",\"event\":\"b\"}", 400, "invalid-json", null },
        { "/api/v1/events", "{\"event\":\"a\",\"email\":\"a@b.example\",\"properties\":{\"n\":1,\"n\":2}}", 400, "invalid-json", null },
        { "/api/v1/events/batch", "{\"events\":[{\"event\":\"a\",\"user_id\":\"u\",\"user_id\":\"v\"}]}", 400, "invalid-json", null },
    };

    public static TheoryData<string, string, string, string?> BadContactRequests => new()
    {
        // method, url, body, field
        { "PUT", "/api/v1/contacts/a@b.example", "{\"data\":{\"plan\":{\"tier\":\"pro\"}}}", "data.plan" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"data\":{\"tags\":[\"a\"]}}", "data.tags" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"data\":{\"gone\":null}}", "data.gone" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"data\":{\"Plan\":\"pro\"}}", "data.Plan" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"data\":{\"plan.tier\":\"pro\"}}", "data.plan.tier" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"data\":{\"" + new string('k', 65) + "\":\"v\"}}", null },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"data\":{\"k\":\"" + new string('v', 2001) + "\"}}", "data.k" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"nickname\":\"" + new string('n', 257) + "\"}", "nickname" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"avatar\":\"javascript:alert(1)\"}", "avatar" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"phone\":\"call me\"}", "phone" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"phone\":\"+++\"}", "phone" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"phone\":\"(+1) -\"}", "phone" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"company\":{\"domain\":\"not a domain\"}}", "company.domain" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"company\":\"Acme\"}", "company" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"segments\":[\"ok\",\"\"]}", "segments[1]" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"segments\":\"vip\"}", "segments" },
        { "PUT", "/api/v1/contacts/a@b.example", "{\"nick\":\"x\"}", "nick" },
        { "PUT", "/api/v1/contacts/a@b.example", "{}", "$" },
        { "PUT", "/api/v1/contacts/not-an-email", "{\"nickname\":\"x\"}", "email" },
        { "PATCH", "/api/v1/contacts/a@b.example/context", "{}", "data" },
        { "PATCH", "/api/v1/contacts/a@b.example/context", "{\"data\":{}}", "data" },
        { "PATCH", "/api/v1/contacts/a@b.example/context", "{\"plan\":\"pro\"}", "plan" },
        { "PATCH", "/api/v1/contacts/a@b.example/context", "{\"data\":{\"errors\":{\"last\":\"E1\"}}}", "data.errors" },
        { "PATCH", "/api/v1/contacts/a@b.example/context", "{\"data\":{\"ok\":true,\"bad key\":1}}", "data.bad key" },
        { "PATCH", "/api/v1/contacts/a%40b/context", "{\"data\":{\"a\":1}}", "email" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task PostEvents_BadInput_AnswersProblemAndWritesNothing(string url, string body, int status, string type, string? field)
    {
        var (tenant, client) = await TenantClientAsync();

        var problem = await AssertProblemAsync(await SendAsync(client, HttpMethod.Post, url, body), status, type);

        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"No error for '{field}': {problem}");
        }

        await AssertNothingWrittenAsync(tenant);
    }

    [Theory]
    [MemberData(nameof(BadContactRequests))]
    public async Task Contacts_BadInput_Answers422WithFieldErrorsAndWritesNothing(string method, string url, string body, string? field)
    {
        var (tenant, client) = await TenantClientAsync();

        var problem = await AssertProblemAsync(await SendAsync(client, new HttpMethod(method), url, body), 422, "validation-failed");

        var errors = problem.GetProperty("errors");
        if (field is not null)
        {
            Assert.True(errors.TryGetProperty(field, out _), $"No error for '{field}': {problem}");
        }

        await AssertNothingWrittenAsync(tenant);
    }

    [Theory]
    [InlineData("POST", "/api/v1/events", 64 * 1024)]
    [InlineData("POST", "/api/v1/events/batch", 512 * 1024)]
    [InlineData("PUT", "/api/v1/contacts/a@b.example", 64 * 1024)]
    [InlineData("PATCH", "/api/v1/contacts/a@b.example/context", 64 * 1024)]
    public async Task Body_OverTheLimit_Answers413(string method, string url, int limit)
    {
        var (tenant, client) = await TenantClientAsync();
        var body = "{\"pad\":\"" + new string('x', limit) + "\"}";

        await AssertProblemAsync(await SendAsync(client, new HttpMethod(method), url, body), 413, "payload-too-large");

        // Without Content-Length (chunked), the cap holds while reading.
        using var chunked = new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))),
        };
        chunked.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        await AssertProblemAsync(await client.SendAsync(chunked), 413, "payload-too-large");
        await AssertNothingWrittenAsync(tenant);
    }

    [Theory]
    [InlineData("POST", "/api/v1/events", "text/plain")]
    [InlineData("POST", "/api/v1/events", "application/x-www-form-urlencoded")]
    [InlineData("POST", "/api/v1/events/batch", "application/xml")]
    [InlineData("PUT", "/api/v1/contacts/a@b.example", "text/json; charset=latin1")]
    [InlineData("PATCH", "/api/v1/contacts/a@b.example/context", "multipart/form-data")]
    public async Task Body_WrongContentType_Answers415(string method, string url, string contentType)
    {
        var (tenant, client) = await TenantClientAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent("""{"event":"a","email":"a@b.example"}""") };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        await AssertProblemAsync(await client.SendAsync(request), 415, "unsupported-media-type");
        await AssertNothingWrittenAsync(tenant);
    }

    [Theory]
    [InlineData("/api/v1/events", "{\"event\":\"signed_up\"")]
    [InlineData("/api/v1/events", "{\"event\":\"a\",\"user_id\":\"u\",\"properties\":{\"a\":[1]")]
    [InlineData("/api/v1/events/batch", "{\"events\":[{\"event\":\"a\",\"user_id\":\"u\"}")]
    public async Task Body_CutShort_IsTold_NotCalledTooDeep(string url, string body)
    {
        var (tenant, client) = await TenantClientAsync();

        var problem = await AssertProblemAsync(await SendAsync(client, HttpMethod.Post, url, body), 400, "invalid-json");

        // A truncated upload was answered "nested deeper than 16 levels": the sender looked for nesting that is not there.
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.DoesNotContain("nested", detail, StringComparison.Ordinal);
        Assert.Contains("ends before every object and array in it is closed", detail, StringComparison.Ordinal);
        await AssertNothingWrittenAsync(tenant);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    public async Task Errors_ForAClientNotAcceptingJson_AreStillProblemDocuments_Not500(string accept)
    {
        var (tenant, client) = await TenantClientAsync();
        client.DefaultRequestHeaders.Accept.ParseAdd(accept);
        var anonymous = Hub.CreateClient();
        anonymous.DefaultRequestHeaders.Accept.ParseAdd(accept);

        // The default writer refuses such an Accept, and with no writer left every API error was an empty 500.
        await AssertProblemAsync(await SendAsync(client, HttpMethod.Post, "/api/v1/events", "{\"event\":1}"), 422, "validation-failed");
        await AssertProblemAsync(await client.GetAsync("/api/v1/events/not-an-id"), 404, "not-found");
        await AssertProblemAsync(await client.GetAsync("/api/v1/deliveries?limit=0"), 422, "validation-failed");
        await AssertProblemAsync(await anonymous.GetAsync("/api/v1/tenant"), 401, "unauthorized");
        await AssertNothingWrittenAsync(tenant);
    }

    [Fact]
    public async Task Body_NestedTooDeep_IsCalledTooDeep()
    {
        var (_, client) = await TenantClientAsync();

        var problem = await AssertProblemAsync(await SendAsync(client, HttpMethod.Post, "/api/v1/events", new string('[', 40) + new string(']', 40)), 400, "invalid-json");

        Assert.Equal($"The JSON is nested deeper than {IntegrationHub.Web.Infrastructure.Api.JsonRequestReader.MaxDepth} levels.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("POST", "/api/v1/events", "{\"event\":\"a\\ud800\",\"email\":\"a@b.example\"}")]
    [InlineData("PUT", "/api/v1/contacts/a@b.example", "{\"nickname\":\"\\udfff\"}")]
    [InlineData("PATCH", "/api/v1/contacts/a@b.example/context", "{\"data\":{\"plan\":\"pro\\ud800\"}}")]
    [InlineData("PATCH", "/api/v1/contacts/a@b.example/context", "{\"data\":{\"plan\":\"pro\",\"plan\":\"free\"}}")]
    public async Task Contacts_UnpairedSurrogateOrRepeatedName_Answers400(string method, string url, string body)
    {
        var (tenant, client) = await TenantClientAsync();

        var problem = await AssertProblemAsync(await SendAsync(client, new HttpMethod(method), url, body), 400, "invalid-json");
        await AssertNothingWrittenAsync(tenant);
        // A detail with holes in it ("(line , byte )") reads as a bug to the developer reading it.
        Assert.DoesNotContain("line ,", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/api/v1/events", "{\"event\":\"a\xFF\",\"email\":\"a@b.example\"}")]
    [InlineData("POST", "/api/v1/events/batch", "{\"events\":[{\"event\":\"a\",\"user_id\":\"\xC3\x28\"}]}")]
    [InlineData("PUT", "/api/v1/contacts/a@b.example", "{\"nickname\":\"\xED\xA0\x80\"}")]
    [InlineData("PATCH", "/api/v1/contacts/a@b.example/context", "{\"data\":{\"plan\":\"\xF8\"}}")]
    public async Task Body_NotUtf8_Answers400(string method, string url, string latin1Body)
    {
        var (tenant, client) = await TenantClientAsync();
        // Each char of the pattern is one byte on the wire: the \x escapes above are invalid UTF-8 sequences.
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent(Encoding.Latin1.GetBytes(latin1Body)) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var problem = await AssertProblemAsync(await client.SendAsync(request), 400, "invalid-json");

        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync(tenant);
    }

    [Theory]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json;charset=UTF-8")]
    [InlineData("application/vnd.acme+json; charset=\"UTF-8\"")]
    public async Task Body_Utf8CharsetQuotedOrNot_IsAccepted(string contentType)
    {
        var (tenant, client) = await TenantClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = new StringContent("""{"event":"a","email":"a@b.example"}""") };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await CountAsync<ProductEvent>(tenant));
    }

    [Fact]
    public async Task Body_Missing_Answers415Or400Problem()
    {
        var (tenant, client) = await TenantClientAsync();
        var response = await client.PostAsync("/api/v1/events", null);
        Assert.True(response.StatusCode is HttpStatusCode.UnsupportedMediaType or HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingWrittenAsync(tenant);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789xxxxxxxxxxxx")]
    public async Task IdempotencyKey_Malformed_Answers400(string key)
    {
        var (tenant, client) = await TenantClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = Json("""{"event":"a","email":"a@b.example"}""") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        await AssertProblemAsync(await client.SendAsync(request), 400, "idempotency-key-invalid");
        await AssertNothingWrittenAsync(tenant);
    }

    [Fact]
    public async Task UnknownRouteAndWrongMethod_AnswerProblems()
    {
        var (_, client) = await TenantClientAsync();
        var missing = await client.GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var method = await client.DeleteAsync("/api/v1/events");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        Assert.Equal("application/problem+json", method.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// A few hundred bodies made by breaking valid requests in seeded-random ways (truncation, flipped bytes,
    /// inserted punctuation, swapped types, deep nesting, huge numbers): none may produce a 5xx or a non-problem error.
    /// </summary>
    [Fact]
    public async Task Fuzz_MalformedBodies_NeverServerErrors()
    {
        var (_, client) = await TenantClientAsync();
        var random = new Random(20261125);
        string[] seeds =
        [
            """{"event":"order_completed","email":"jane@example.com","user_id":"u1","properties":{"total":12.5,"items":[{"sku":"A","qty":2}]},"timestamp":"2026-11-25T09:30:00Z","message_id":"m-1"}""",
            """{"events":[{"event":"a","email":"a@b.example"},{"event":"b","user_id":"u2","properties":{"x":[1,2,{"y":null}]}}]}""",
            """{"nickname":"Jane","avatar":"https://a.example/x.png","phone":"+33 6","company":{"name":"Acme","url":"https://acme.example","domain":"acme.example"},"segments":["vip"],"data":{"plan":"pro","seats":3,"trial":false}}""",
            """{"data":{"plan_tier":"enterprise","account_age_days":412,"recent_errors":"E1"}}""",
        ];
        string[] targets = ["/api/v1/events", "/api/v1/events/batch", "/api/v1/contacts/jane@example.com", "/api/v1/contacts/jane@example.com/context"];
        HttpMethod[] methods = [HttpMethod.Post, HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch];
        string[] junk = ["{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "1e400", "-", "\u0000", "\u00e9", "\ud83d\ude00", "{}", "[]", "\"x\"", "NaN", "0x10"];

        var count = 0;
        for (var round = 0; round < 75; round++)
        {
            for (var t = 0; t < seeds.Length; t++)
            {
                var body = Mutate(seeds[random.Next(seeds.Length)], random, junk);
                var response = await SendAsync(client, methods[t], targets[t], body);
                count++;
                var status = (int)response.StatusCode;
                Assert.True(status < 500, $"{methods[t]} {targets[t]} answered {status} to: {body}");
                if (status >= 400)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
        }

        Assert.Equal(300, count);
    }

    private static string Mutate(string seed, Random random, string[] junk)
    {
        var text = seed;
        switch (random.Next(7))
        {
            case 0:
                return text[..random.Next(text.Length)];
            case 1:
                var chars = text.ToCharArray();
                for (var i = 0; i < 1 + random.Next(4); i++)
                {
                    chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
                }

                return new string(chars);
            case 2:
                for (var i = 0; i < 1 + random.Next(3); i++)
                {
                    text = text.Insert(random.Next(text.Length), junk[random.Next(junk.Length)]);
                }

                return text;
            case 3:
                // Swap a value's type: strings become numbers, objects, arrays or null.
                string[] replacements = ["1", "{}", "[]", "null", "true", "\"\"", "{\"a\":{\"b\":1}}", "1e308"];
                var quote = text.IndexOf(":\"", random.Next(text.Length / 2), StringComparison.Ordinal);
                if (quote < 0)
                {
                    return text;
                }

                var end = text.IndexOf('"', quote + 2);
                return text[..(quote + 1)] + replacements[random.Next(replacements.Length)] + text[(end + 1)..];
            case 4:
                var depth = 5 + random.Next(40);
                return text.Insert(text.Length - 1, ",\"deep\":" + new string('[', depth) + new string(']', depth));
            case 5:
                return text.Replace("\"", random.Next(2) == 0 ? "'" : "", StringComparison.Ordinal);
            default:
                var bytes = Encoding.UTF8.GetBytes(text);
                bytes[random.Next(bytes.Length)] = (byte)random.Next(128, 256);
                return Encoding.Latin1.GetString(bytes);
        }
    }

    [Fact]
    public async Task EmptyEventName_IsNotToldToLeaveTheRequiredFieldOut()
    {
        var (_, client) = await TenantClientAsync();

        var problem = await AssertProblemAsync(await client.PostAsync("/api/v1/events", Json("""{"event":"  ","email":"a@b.example"}""")), 422);

        Assert.Equal("Must not be empty.", problem.GetProperty("errors").GetProperty("event")[0].GetString());
    }

    [Fact]
    public async Task GzipBody_IsAccepted_AndAnUnknownCodingIs415()
    {
        var (tenant, client) = await TenantClientAsync();

        var gzip = await client.SendAsync(Compressed("""{"event":"signed_up","email":"a@b.example"}""", "gzip"));
        Assert.Equal(HttpStatusCode.Accepted, gzip.StatusCode);
        Assert.Equal(1, await CountAsync<ProductEvent>(tenant));

        var unknown = await client.SendAsync(Compressed("""{"event":"signed_up","email":"c@d.example"}""", "zstd"));
        var problem = await AssertProblemAsync(unknown, 415, "unsupported-media-type");
        Assert.Contains("zstd", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync<ProductEvent>(tenant));
    }

    [Fact]
    public async Task GzipBody_OverTheCapOnceDecompressed_Is413()
    {
        var (tenant, client) = await TenantClientAsync();
        // ~70 KB of JSON that compresses to well under the 64 KB cap.
        var json = "{\"event\":\"a\",\"email\":\"a@b.example\",\"properties\":{\"pad\":\"" + new string('x', 70_000) + "\"}}";

        await AssertProblemAsync(await client.SendAsync(Compressed(json, "gzip")), 413, "payload-too-large");
        await AssertNothingWrittenAsync(tenant);
    }

    [Fact]
    public async Task BodyStartingWithAByteOrderMark_IsReadAsTheJsonAfterIt()
    {
        var (tenant, client) = await TenantClientAsync();
        var json = """{"event":"signed_up","email":"a@b.example"}""";
        HttpRequestMessage Post(byte[] body)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = content };
            request.Headers.Add("Idempotency-Key", "bom-1");
            return request;
        }

        // What a file saved as "UTF-8" by Windows tools holds, sent with curl --data-binary @file.
        var withMark = await client.SendAsync(Post([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(json)]));
        var without = await client.SendAsync(Post(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(HttpStatusCode.Accepted, withMark.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, without.StatusCode);
        Assert.Equal("true", Assert.Single(without.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(1, await CountAsync<ProductEvent>(tenant));
    }

    [Theory]
    [InlineData("gzip", "POST", "/api/v1/events", "application/json")]
    [InlineData("br", "PUT", "/api/v1/contacts/a@b.example", "application/json")]
    [InlineData("deflate", "POST", "/api/v1/rules/preview", "application/json")]
    [InlineData("gzip", "POST", "/api/v1/helpdesk/sync", "application/zip")]
    public async Task BodyThatIsNotItsContentEncoding_Is400NamingTheCoding_Not500(string coding, string method, string url, string mediaType)
    {
        var (tenant, client) = await TenantClientAsync();
        // Plain JSON labelled as compressed: what a client sends when it sets the header but forgets to compress.
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"event":"signed_up","email":"a@b.example","properties":{"p":"0123456789abcdef"}}"""));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        content.Headers.ContentEncoding.Add(coding);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = content });

        var problem = await AssertProblemAsync(response, 400);
        Assert.Contains($"Content-Encoding: {coding}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync(tenant);
    }

    private static HttpRequestMessage Compressed(string json, string coding)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add(coding);
        return new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = content };
    }

    private async Task AssertNothingWrittenAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal(0, await db.Set<ProductEvent>().CountAsync());
            Assert.Equal(0, await db.Set<Contact>().CountAsync());
            Assert.Equal(0, await db.Set<CrispCall>().CountAsync());
        }
    }
}

public sealed class ApiErrorTestsOnSqlite(SqliteHubFixture fixture) : ApiErrorTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class ApiErrorTestsOnPostgres(PostgresHubFixture fixture) : ApiErrorTests(fixture);
