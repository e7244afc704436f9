using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>The published OpenAPI document is valid and describes every endpoint well enough to code against.</summary>
public sealed class OpenApiDocumentTests(SqliteHubFixture fixture) : HubTestBase(fixture), IClassFixture<SqliteHubFixture>
{
    public static TheoryData<string, string> Operations => new()
    {
        { "/api/v1/events", "POST" },
        { "/api/v1/events/batch", "POST" },
        { "/api/v1/events/{id}", "GET" },
        { "/api/v1/deliveries", "GET" },
        { "/api/v1/contacts/{email}", "PUT" },
        { "/api/v1/contacts/{email}/context", "PATCH" },
        { "/api/v1/tenant", "GET" },
        { "/api/v1/helpdesk/sync", "POST" },
        { "/api/v1/helpdesk/sync/{id}", "GET" },
    };

    [Fact]
    public async Task Document_ParsesWithoutErrors_AndHasTheBearerScheme()
    {
        var (document, diagnostic) = await LoadAsync();

        Assert.Empty(diagnostic.Errors);
        Assert.NotNull(document.Components?.SecuritySchemes);
        var bearer = Assert.Single(document.Components!.SecuritySchemes!).Value;
        Assert.Equal(SecuritySchemeType.Http, bearer.Type);
        Assert.Equal("bearer", bearer.Scheme);
        Assert.NotEmpty(document.Security ?? []);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Document_DescribesEveryEndpoint_WithExamplesAndProblemResponses(string path, string method)
    {
        var (document, _) = await LoadAsync();

        Assert.True(document.Paths.TryGetValue(path, out var item), $"{path} is missing; paths: {string.Join(", ", document.Paths.Keys)}");
        var operation = item!.Operations![HttpMethod.Parse(method)];
        Assert.False(string.IsNullOrWhiteSpace(operation.Summary));
        Assert.False(string.IsNullOrWhiteSpace(operation.Description ?? operation.Summary));
        Assert.Contains("401", operation.Responses!.Keys);
        Assert.Contains("429", operation.Responses.Keys);
        if (path == "/api/v1/tenant")
        {
            return;
        }

        // Usually one 2xx; the docs sync has two (200 for a dry run, 202 when queued), each with its example.
        var successes = operation.Responses.Where(r => r.Key.StartsWith('2')).Select(r => r.Value).ToList();
        Assert.NotEmpty(successes);
        foreach (var success in successes)
        {
            Assert.All(success.Content!.Values, media => Assert.NotNull(media.Example));
        }

        foreach (var (code, response) in operation.Responses.Where(r => r.Key[0] is '4' or '5'))
        {
            var problem = Assert.Single(response.Content!);
            Assert.Equal("application/problem+json", problem.Key);
            Assert.NotNull(problem.Value.Schema);
            Assert.NotNull(problem.Value.Example);
            Assert.False(string.IsNullOrWhiteSpace(response.Description), $"{method} {path} {code} has no description.");
        }

        if (method is "POST" or "PUT" or "PATCH")
        {
            var body = Assert.Single(operation.RequestBody!.Content!);
            // The docs sync takes a zip archive; every other body is JSON.
            Assert.Equal(path == "/api/v1/helpdesk/sync" ? "application/zip" : "application/json", body.Key);
            if (path == "/api/v1/helpdesk/sync")
            {
                Assert.Equal("binary", body.Value.Schema!.Format);
            }

            Assert.NotNull(body.Value.Schema);
            Assert.NotNull(body.Value.Example);
            // Offered only where the hub honours it: a repeated docs sync is harmless but not answered from a record.
            var offersIdempotencyKey = operation.Parameters?.Any(p => p.Name == "Idempotency-Key" && p.In == ParameterLocation.Header) ?? false;
            Assert.Equal(path != "/api/v1/helpdesk/sync", offersIdempotencyKey);
            if (offersIdempotencyKey)
            {
                // A client must be able to tell a replay from a first answer.
                Assert.All(successes, success => Assert.Contains("Idempotent-Replayed", success.Headers?.Keys ?? []));
            }

            if (path == "/api/v1/events")
            {
                Assert.Contains("Location", operation.Responses["202"].Headers?.Keys ?? []);
            }

            Assert.Contains("413", operation.Responses.Keys);
            Assert.Contains("415", operation.Responses.Keys);
            Assert.Contains("422", operation.Responses.Keys);
        }
    }

    [Theory]
    [InlineData("/api/v1/events/{id}", false)]
    [InlineData("/api/v1/helpdesk/sync/{id}", false)]
    [InlineData("/api/v1/deliveries", true)]
    public async Task Document_Lists422_OnlyWhereAnInputIsValidated(string path, bool validates)
    {
        var (document, _) = await LoadAsync();

        var operation = document.Paths[path].Operations![HttpMethod.Get];
        Assert.Equal(validates, operation.Responses!.ContainsKey("422"));
    }

    [Fact]
    public async Task Document_RequiredFields_AreNotNullable()
    {
        var (document, _) = await LoadAsync();

        var contradictions = document.Components!.Schemas!
            .SelectMany(schema => (schema.Value.Required ?? new HashSet<string>())
                .Where(name => schema.Value.Properties!.TryGetValue(name, out var property)
                    && property.Type is { } type && type.HasFlag(JsonSchemaType.Null))
                .Select(name => $"{schema.Key}.{name}"))
            .ToList();
        Assert.Empty(contradictions);
    }

    [Fact]
    public async Task Document_ObjectValuedFields_AreTypedObject()
    {
        var (document, _) = await LoadAsync();

        // The API refuses anything but an object in these with a 422: a generated client must not offer other types.
        var properties = document.Components!.Schemas!["EventRequest"].Properties!["properties"];
        Assert.True(properties.Type is { } type && type.HasFlag(JsonSchemaType.Object), $"EventRequest.properties is typed {properties.Type}");
        var data = document.Components.Schemas["ContactRequest"].Properties!["data"];
        Assert.True(data.Type is { } dataType && dataType.HasFlag(JsonSchemaType.Object), $"ContactRequest.data is typed {data.Type}");
    }

    [Fact]
    public async Task Document_GetEvent_DescribesEveryMatchedRuleAndWhyOneMadeNoCall()
    {
        var (document, diagnostic) = await LoadAsync();

        Assert.Empty(diagnostic.Errors);
        var response = document.Components!.Schemas!["EventResponse"];
        Assert.Contains("rule_problems", response.Properties!.Keys);
        Assert.Contains("with calls", response.Properties!["matched_rules"].Description, StringComparison.Ordinal);
        var problem = document.Components.Schemas["RuleProblemResponse"];
        Assert.Equal(["reason", "rule", "rule_version_id", "version"], problem.Properties!.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.All(problem.Properties.Values, p => Assert.False(string.IsNullOrEmpty(p.Description)));
        var operation = document.Paths["/api/v1/events/{id}"].Operations![HttpMethod.Get];
        Assert.Contains("rule_problems", operation.Description, StringComparison.Ordinal);
        var example = operation.Responses!["200"].Content!["application/json"].Example!.ToJsonString();
        Assert.Contains("\"rule_problems\"", example, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_EveryOperation_HasExamples_AndEveryErrorIsAProblemDocument()
    {
        var (document, _) = await LoadAsync();

        // Not a hand-picked list: relay, auto-replies, hook URL, identity signature, preview and tenant had no examples,
        // and the 404s declared with a bare .Produces(404) had no content although the API answers problem documents.
        var gaps = new List<string>();
        var operations = 0;
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                operations++;
                var name = $"{method} {path}";
                foreach (var (_, media) in operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>())
                {
                    if (media.Example is null)
                    {
                        gaps.Add($"{name}: request without an example");
                    }
                }

                // Checking the key reads the database: every route answers 503 while it is unreachable, GETs included.
                if (operation.Responses?.ContainsKey("503") != true)
                {
                    gaps.Add($"{name}: no 503");
                }

                foreach (var (code, response) in operation.Responses ?? [])
                {
                    if (code[0] is '4' or '5')
                    {
                        if (response.Content is not { Count: 1 } content || !content.TryGetValue("application/problem+json", out var problem)
                            || problem.Schema is null || problem.Example is null)
                        {
                            gaps.Add($"{name} {code}: not a problem document with an example");
                        }
                    }
                    else
                    {
                        gaps.AddRange((response.Content ?? new Dictionary<string, OpenApiMediaType>())
                            .Where(media => media.Value.Example is null)
                            .Select(media => $"{name} {code}: {media.Key} without an example"));
                    }
                }
            }
        }

        Assert.True(operations > 20, $"only {operations} operations");
        Assert.True(gaps.Count == 0, string.Join("\n", gaps));
    }

    [Fact]
    public async Task Document_Conflicts_SayWhatTheyMeanPerOperation()
    {
        var (document, _) = await LoadAsync();

        // The identity signature's 409 is "no secret stored yet", not a reused Idempotency-Key (it takes none).
        var signature = document.Paths["/api/v1/identity/signature"].Operations![HttpMethod.Post].Responses!["409"];
        Assert.Contains("identity-verification secret", signature.Description, StringComparison.Ordinal);
        Assert.Contains("identity-secret-missing", signature.Content!["application/problem+json"].Example!.ToJsonString(), StringComparison.Ordinal);
        var single = document.Paths["/api/v1/events"].Operations![HttpMethod.Post].Responses!["409"];
        Assert.Contains("message-id-conflict", single.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_JsonValues_AreAnyValue_AndProblemsDocumentTheirTraceId()
    {
        var (document, _) = await LoadAsync();

        // A rule condition's value is any JSON value; it was documented as an object with options/parent/root.
        var value = document.Components!.Schemas!["RuleCondition"].Properties!["value"];
        Assert.True(value.Type is null or JsonSchemaType.Null, $"RuleCondition.value is typed {value.Type}"); // any value (or null)
        Assert.Empty(value.Properties ?? new Dictionary<string, IOpenApiSchema>());
        Assert.DoesNotContain("JsonNodeOptions", document.Components.Schemas.Keys);
        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
        {
            Assert.Contains("trace_id", document.Components.Schemas[name].Properties!.Keys);
        }
    }

    [Fact]
    public async Task Document_Deliveries_SayWhatAStatusWalkMisses()
    {
        var (document, _) = await LoadAsync();

        var operation = document.Paths["/api/v1/deliveries"].Operations![HttpMethod.Get];
        Assert.Contains("after the cursor passed it", operation.Description, StringComparison.Ordinal);
        Assert.Contains("status=dead again from the start", operation.Description, StringComparison.Ordinal);
        var since = operation.Parameters!.Single(p => p.Name == "since");
        Assert.Contains("%2B", since.Description, StringComparison.Ordinal);
        // Typed as what the API takes, not as free strings: a generated client offers the six states and a number.
        var status = operation.Parameters!.Single(p => p.Name == "status").Schema!;
        Assert.Equal(["queued", "sending", "sent", "retrying", "dead", "paused"], status.Enum!.Select(v => v!.GetValue<string>()));
        Assert.Equal(JsonSchemaType.Integer, operation.Parameters!.Single(p => p.Name == "limit").Schema!.Type);
    }

    [Fact]
    public async Task SwaggerUi_IsServed()
    {
        var response = await Hub.CreateClient().GetAsync("/swagger/index.html");
        response.EnsureSuccessStatusCode();
    }

    private async Task<(OpenApiDocument Document, OpenApiDiagnostic Diagnostic)> LoadAsync()
    {
        var client = Hub.CreateClient();
        await using var stream = await client.GetStreamAsync("/swagger/v1/swagger.json");
        var result = await OpenApiDocument.LoadAsync(stream, "json", new OpenApiReaderSettings());
        Assert.NotNull(result.Document);
        return (result.Document!, result.Diagnostic!);
    }
}
