using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IntegrationHub.Web.Infrastructure.Api;

/// <summary>OpenAPI metadata shared by the API's endpoints: the error answers each one can give.</summary>
public static class ApiDocs
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>Declares the problem-details answers: 401 and 429 always; 400/413/415/422 with a body; 404 and 409 when asked.</summary>
    // validation: false for operations with nothing to validate (a GET by id), which cannot answer 422.
    public static RouteHandlerBuilder WithStandardErrors(this RouteHandlerBuilder builder, bool withBody, bool conflict = false, bool notFound = false,
        bool validation = true)
    {
        builder.ProducesProblem(StatusCodes.Status401Unauthorized, ProblemJson)
            .ProducesProblem(StatusCodes.Status429TooManyRequests, ProblemJson);
        if (validation)
        {
            builder.ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity, ProblemJson);
        }
        if (withBody)
        {
            builder.ProducesProblem(StatusCodes.Status400BadRequest, ProblemJson)
                .ProducesProblem(StatusCodes.Status413PayloadTooLarge, ProblemJson)
                .ProducesProblem(StatusCodes.Status415UnsupportedMediaType, ProblemJson)
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable, ProblemJson);
        }

        if (conflict)
        {
            builder.ProducesProblem(StatusCodes.Status409Conflict, ProblemJson);
        }

        if (notFound)
        {
            builder.ProducesProblem(StatusCodes.Status404NotFound, ProblemJson);
        }

        return builder;
    }
}

/// <summary>
/// Adds what a developer needs to code against each operation without the source: request and response
/// examples, what each error status means, Retry-After on 429/503, the Idempotency-Key header, query parameters.
/// </summary>
internal sealed class ApiExamplesOperationFilter : IOperationFilter
{
    private const string Event = """
        {"event": "order_completed", "email": "jane@example.com", "user_id": "u_1842",
         "properties": {"order_id": "A-1001", "total": 129.5, "currency": "EUR", "items": [{"sku": "TSHIRT-M", "qty": 2}]},
         "timestamp": "2026-11-25T09:30:00Z", "message_id": "evt_01JDX6R8Q4"}
        """;

    private static readonly Dictionary<string, (string? Request, Dictionary<int, string> Responses)> Examples = new(StringComparer.Ordinal)
    {
        ["PostEvent"] = (Event, new()
        {
            [202] = """{"id": "0193637a-6f4e-7c2a-9d1b-2f1e8c5a7b10", "status": "accepted"}""",
        }),
        ["PostEventBatch"] = ($$"""
            {"events": [
              {{Event}},
              {"event": "signed_up", "email": "sam@example.com", "message_id": "evt_01JDX6R8Q5"},
              {"event": "", "email": "not-an-email"}
            ]}
            """, new()
        {
            [202] = """
                {"accepted": 1, "duplicates": 1, "rejected": 1, "results": [
                  {"index": 0, "status": "duplicate", "id": "0193637a-6f4e-7c2a-9d1b-2f1e8c5a7b10", "reason": null, "errors": null},
                  {"index": 1, "status": "accepted", "id": "0193637a-7001-7d3e-8a2b-3c4d5e6f7a81", "reason": null, "errors": null},
                  {"index": 2, "status": "rejected", "id": null, "reason": "invalid",
                   "errors": {"event": ["Must not be empty."], "email": ["Must be an email address like name@example.com."]}}
                ]}
                """,
        }),
        ["GetEvent"] = (null, new()
        {
            [200] = """
                {"id": "0193637a-6f4e-7c2a-9d1b-2f1e8c5a7b10", "event": "order_completed", "email": "jane@example.com", "user_id": "u_1842",
                 "properties": {"order_id": "A-1001", "total": 129.5}, "timestamp": "2026-11-25T09:30:00+00:00",
                 "accepted_at": "2026-11-25T09:30:00.412+00:00", "message_id": "evt_01JDX6R8Q4",
                 "matched_rules": ["0193600a-1111-7aaa-8bbb-123456789abc", "0193600b-2222-7ccc-9ddd-23456789abcd"],
                 "deliveries": [
                   {"id": 4711, "kind": "people.event.add", "status": "sent", "attempts": 1, "next_attempt_at": null, "last_http_status": 200,
                    "last_reason": null, "last_error": null, "event_id": "0193637a-6f4e-7c2a-9d1b-2f1e8c5a7b10",
                    "rule_version_id": "0193600a-1111-7aaa-8bbb-123456789abc", "contact": "jane@example.com",
                    "created_at": "2026-11-25T09:30:00.412+00:00", "completed_at": "2026-11-25T09:30:01.020+00:00"},
                   {"id": 4712, "kind": "people.data.merge", "status": "retrying", "attempts": 2, "next_attempt_at": "2026-11-25T09:31:00+00:00",
                    "last_http_status": 503, "last_reason": "server_error", "last_error": "Crisp answered 503", "event_id": "0193637a-6f4e-7c2a-9d1b-2f1e8c5a7b10",
                    "rule_version_id": "0193600a-1111-7aaa-8bbb-123456789abc", "contact": "jane@example.com",
                    "created_at": "2026-11-25T09:30:00.412+00:00", "completed_at": null}
                 ],
                 "rule_problems": [
                   {"rule_version_id": "0193600b-2222-7ccc-9ddd-23456789abcd", "rule": "Welcome note", "version": 3,
                    "reason": "action 1 (Note): nothing to send for this event"}
                 ]}
                """,
        }),
        ["ListDeliveries"] = (null, new()
        {
            [200] = """
                {"items": [
                  {"id": 4713, "kind": "session.data.merge", "status": "dead", "attempts": 1, "next_attempt_at": null, "last_http_status": 404,
                   "last_reason": "people_not_found", "last_error": "No such person in Crisp", "event_id": null, "rule_version_id": null,
                   "contact": "jane@example.com", "created_at": "2026-11-25T09:40:00+00:00", "completed_at": "2026-11-25T09:40:02+00:00"}
                 ], "next_cursor": "YzE6NDcxMw", "has_more": false}
                """,
        }),
        ["PutContact"] = ("""
            {"nickname": "Jane Doe", "avatar": "https://cdn.example.com/u/1842.png", "phone": "+33 6 12 34 56 78",
             "company": {"name": "Acme", "url": "https://acme.example", "domain": "acme.example"},
             "segments": ["customer", "plan-pro"], "data": {"plan": "pro", "seats": 12, "trial": false}}
            """, new()
        {
            [202] = """
                {"email": "jane@example.com", "created": true, "deliveries": [
                  {"id": 4720, "kind": "people.profile.upsert", "status": "queued"},
                  {"id": 4721, "kind": "people.data.merge", "status": "queued"}]}
                """,
        }),
        ["PatchContactContext"] = ("""
            {"data": {"plan_tier": "enterprise", "account_age_days": 412, "recent_errors": "E1042 payment declined (2x)", "beta_user": true}}
            """, new()
        {
            [202] = """
                {"email": "jane@example.com", "created": false, "deliveries": [
                  {"id": 4730, "kind": "people.data.merge", "status": "queued"},
                  {"id": 4731, "kind": "session.data.merge", "status": "queued"}]}
                """,
        }),
        ["GetTenant"] = (null, new()
        {
            [200] = """
                {"website_id": "6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01", "name": "Acme", "domain": "acme.example", "status": "active",
                 "installed_at": "2026-11-02T14:05:31.120+00:00"}
                """,
        }),
        ["CreateIdentitySignature"] = ("""{"email": "jane@example.com"}""", new()
        {
            [200] = """{"email": "jane@example.com", "signature": "5d8f0c3e2a9b47e1f6a0d2c4b8e7193a6f5c0b2d9e8a7f61c3b4a5d6e7f80912"}""",
        }),
        ["PreviewRules"] = ("""
            {"event": {"event": "order_completed", "email": "jane@example.com", "properties": {"total": 129.5}},
             "rules": [{"name": "Big orders", "definition": {"trigger": "order_completed", "condition_mode": "all",
               "conditions": [{"field": "properties.total", "operator": "greater_than", "value": 100}],
               "actions": [{"type": "people_event", "text": "Order of {{properties.total}} EUR", "color": "green"}]}}]}
            """, new()
        {
            [200] = """
                {"rules": [{"rule_id": null, "name": "Big orders", "version": null, "matched": true,
                  "reasons": ["all conditions must hold", "properties.total is greater than 100: yes"], "errors": [],
                  "calls": [{"kind": "people.event.add", "payload": {"email": "jane@example.com", "text": "Order of 129.5 EUR", "data": {}, "color": "green"},
                    "http": [{"method": "POST", "path": "/v1/website/6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01/people/events/jane%40example.com",
                      "body": {"text": "Order of 129.5 EUR", "data": {}, "color": "green"}, "note": null}]}]}],
                 "cost": {"outbox_calls": 1, "http_requests": 1, "budget_per_minute": 30, "share_of_minute_budget": 0.033,
                  "daily_quota": 50000, "daily_quota_used_today": 812, "share_of_daily_quota": 0.00002}}
                """,
        }),
        ["GetAutoReplies"] = (null, new()
        {
            [200] = AutoRepliesExample,
        }),
        ["PutAutoReplies"] = (AutoRepliesExample, new()
        {
            [200] = AutoRepliesExample,
        }),
        ["GetWebsiteHookUrl"] = (null, new()
        {
            // The key is shown once, by the POST that makes it; reading the URL never shows it again.
            [200] = """{"configured": true, "endpoint": "https://hub.example.com/crisp/hooks/website/6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01", "url": null}""",
        }),
        ["RegenerateWebsiteHookUrl"] = (null, new()
        {
            [200] = WebsiteHookUrlExample,
        }),
        ["CreateRelayEndpoint"] = ("""{"url": "https://hooks.example.com/crisp", "events": ["message:send", "session:set_email"]}""", new()
        {
            [201] = $$"""{"endpoint": {{RelayEndpointExample}}, "secret": "whsec_XWbuOixN2CfJqbvxoZ6rRh0rVk+6aC4rvXjttTQwyAY="}""",
        }),
        ["UpdateRelayEndpoint"] = ("""{"url": "https://hooks.example.com/crisp-v2"}""", new()
        {
            [200] = RelayEndpointExample.Replace("https://hooks.example.com/crisp\"", "https://hooks.example.com/crisp-v2\"", StringComparison.Ordinal),
        }),
        ["ListRelayEndpoints"] = (null, new()
        {
            [200] = $"[{RelayEndpointExample}]",
        }),
        ["RotateRelayEndpointSecret"] = (null, new()
        {
            [200] = """
                {"endpoint_id": "0193637a-9b00-7c2a-9d1b-2f1e8c5a7b10", "secret": "whsec_kyXDpfeTDMdy0C6/meXnmPoEMm993JNLOHvU14PTrhw=",
                 "previous_secret_expires_at": "2026-11-26T10:00:00+00:00"}
                """,
        }),
        ["EnableRelayEndpoint"] = (null, new()
        {
            [200] = RelayEndpointExample,
        }),
        ["DisableRelayEndpoint"] = (null, new()
        {
            [200] = RelayEndpointExample.Replace("\"enabled\": true, \"disabled_reason\": null", "\"enabled\": false, \"disabled_reason\": \"Disabled by a member.\"", StringComparison.Ordinal),
        }),
        ["ListRelayDeliveries"] = (null, new()
        {
            [200] = $"[{RelayDeliveryExample}]",
        }),
        ["GetRelayDelivery"] = (null, new()
        {
            [200] = $$"""
                {"delivery": {{RelayDeliveryExample}}, "attempts": [
                  {"number": 1, "started_at": "2026-11-25T10:00:01+00:00", "status_code": 503, "error": null, "latency_ms": 812, "response_excerpt": "upstream unavailable"},
                  {"number": 2, "started_at": "2026-11-25T10:01:02+00:00", "status_code": 200, "error": null, "latency_ms": 94, "response_excerpt": "ok"}]}
                """,
        }),
        ["ReplayRelayDelivery"] = (null, new()
        {
            [202] = """
                {"id": "0193637a-9c10-7c2a-9d1b-2f1e8c5a7b10", "endpoint_id": "0193637a-9b00-7c2a-9d1b-2f1e8c5a7b10", "event": "message:send",
                 "webhook_id": "msg_0193637a9c107c2a9d1b2f1e8c5a7b10", "status": "queued", "attempts": 0, "next_attempt_at": "2026-11-25T11:00:00+00:00",
                 "created_at": "2026-11-25T11:00:00+00:00", "last_attempt_at": null, "last_status": null, "latency_ms": null, "response_excerpt": null,
                 "replay_of_id": "0193637a-9c00-7c2a-9d1b-2f1e8c5a7b10"}
                """,
        }),
        ["PostHelpdeskSync"] = ("\"<zip archive bytes: en/articles/orders/shipping-policy.md, en/articles/billing/refunds.md, …>\"", new()
        {
            [200] = HelpdeskSyncExample.Replace("\"id\": \"0193637a-8a00-7c2a-9d1b-2f1e8c5a7b10\", \"dry_run\": false", "\"id\": null, \"dry_run\": true", StringComparison.Ordinal),
            [202] = HelpdeskSyncExample,
        }),
        ["GetHelpdeskSync"] = (null, new()
        {
            [200] = HelpdeskSyncExample,
        }),
    };

    private const string AutoRepliesExample = """
        {"window_minutes": 60, "cap_per_hour": 2, "rules": [
          {"name": "Welcome", "enabled": true, "trigger": "first_message", "text_contains": null, "time_zone": null, "days": null, "from": null, "to": null,
           "reply_text": "Thanks for writing! We usually answer within the hour."}]}
        """;

    private const string WebsiteHookUrlExample = """
        {"configured": true, "endpoint": "https://hub.example.com/crisp/hooks/website/6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01",
         "url": "https://hub.example.com/crisp/hooks/website/6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01?key=q3v8Jm2KcT0xYb6Nf1LwR4sZ7dHg9pXe5aUoCiVbWnM"}
        """;

    private const string RelayEndpointExample = """
        {"id": "0193637a-9b00-7c2a-9d1b-2f1e8c5a7b10", "url": "https://hooks.example.com/crisp", "events": ["message:send", "session:set_email"],
         "enabled": true, "disabled_reason": null, "created_at": "2026-11-25T09:00:00+00:00", "failing_since": null, "previous_secret_expires_at": null}
        """;

    private const string RelayDeliveryExample = """
        {"id": "0193637a-9c00-7c2a-9d1b-2f1e8c5a7b10", "endpoint_id": "0193637a-9b00-7c2a-9d1b-2f1e8c5a7b10", "event": "message:send",
         "webhook_id": "msg_0193637a9c007c2a9d1b2f1e8c5a7b10", "status": "sent", "attempts": 2, "next_attempt_at": "2026-11-25T10:01:00+00:00",
         "created_at": "2026-11-25T10:00:00+00:00", "last_attempt_at": "2026-11-25T10:01:02+00:00", "last_status": 200, "latency_ms": 94,
         "response_excerpt": "ok", "replay_of_id": null}
        """;

    private const string HelpdeskSyncExample = """
        {"id": "0193637a-8a00-7c2a-9d1b-2f1e8c5a7b10", "dry_run": false, "prune": false, "status": "pending", "created_at": "2026-11-25T10:00:00+00:00",
         "summary": {"create": 2, "update_content": 1, "update_metadata": 0, "move": 0, "delete": 0, "unchanged": 14, "error": 1, "writes": 7},
         "items": [
          {"locale": "en", "content_type": "articles", "path": "orders", "action": "create", "detail": "folder", "status": "done", "calls_done": 1, "calls_total": 1, "error": null},
          {"locale": "en", "content_type": "articles", "path": "orders/shipping-policy.md", "action": "create", "detail": null, "status": "pending", "calls_done": 1, "calls_total": 3, "error": null},
          {"locale": "en", "content_type": "articles", "path": "billing/refunds.md", "action": "update-content", "detail": "changes: content", "status": "pending", "calls_done": 0, "calls_total": 1, "error": null},
          {"locale": "en", "content_type": "articles", "path": "en/articles/Bad Name.md", "action": "error", "detail": "Crisp would refuse this path: File name 'Bad Name' is not allowed: use letters, digits, '-' and '_', starting with a letter or digit (at most 100 characters).", "status": "refused", "calls_done": 0, "calls_total": 0, "error": null}
         ]}
        """;

    private static readonly Dictionary<int, (string Description, string Example)> Problems = new()
    {
        [400] = ("Malformed JSON, or an invalid Idempotency-Key header.", Problem("invalid-json", "Malformed JSON", 400, "The body is not valid JSON (line 1, byte 17).")),
        [401] = ("No API key, or a key that is unknown, revoked, or of an uninstalled website.", Problem("unauthorized", "Unauthorized", 401, "Send a valid, unrevoked API key of an installed website as 'Authorization: Bearer <key>'.")),
        [404] = ("No such resource for your website (another website's ids are not found either).", Problem("not-found", "Not found", 404, "No event with this id.")),
        [409] = ("The Idempotency-Key (or the message_id) was already used for a different request; nothing was stored.", Problem("idempotency-key-conflict", "Idempotency-Key reused", 409, "This Idempotency-Key was already used, within the last 24 hours, for a different request (method, path or body). Use a new key for a new request.")),
        [413] = ("The body is larger than the endpoint accepts.", Problem("payload-too-large", "Payload too large", 413, "This endpoint accepts bodies of at most 64 KB (65536 bytes).")),
        [415] = ("The body is not sent as application/json.", Problem("unsupported-media-type", "Unsupported media type", 415, "Send the body as 'Content-Type: application/json' (UTF-8).")),
        [422] = ("Well-formed JSON with invalid fields: 'errors' maps each JSON path to what is wrong.", """
            {"type": "https://integrationhub.dev/problems/validation-failed", "title": "The request has invalid fields", "status": 422,
             "detail": "See 'errors': each key is a JSON path into the request, each value what is wrong there.",
             "errors": {"email": ["Must be an email address like name@example.com."], "data.Plan": ["Key refused: use 1–64 characters of lowercase a–z, 0–9, '_' or '-' (Crisp refuses others; no dots)."]},
             "trace_id": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
            """),
        [429] = ("Your website's request rate is over its limit; retry after Retry-After seconds.", Problem("too-many-requests", "Too many requests", 429, "This website's API rate limit is exceeded. Retry after the delay in Retry-After.")),
        [502] = ("Crisp could not be read (unreachable or refusing); nothing was queued.", Problem("crisp-unavailable", "Crisp could not be read", 502, "The Knowledge Base could not be read from Crisp (CrispTransportException); nothing was queued. Try again later.")),
        [503] = ("The database cannot be reached, the hub could not commit the request, or it is stopping; nothing was stored. Retry after Retry-After seconds (a write with the same Idempotency-Key).", Problem("unavailable", "Temporarily unavailable", 503, "The hub could not store the request right now; nothing was stored. Retry after the delay given in Retry-After.")),
    };

    /// <summary>Where one operation's error means something else than <see cref="Problems"/> says.</summary>
    private static readonly Dictionary<(string Operation, int Status), (string Description, string Example)> OperationProblems = new()
    {
        [("CreateIdentitySignature", 409)] = ("The website has not stored its Crisp identity-verification secret yet (plugin settings page); nothing was signed.",
            Problem("identity-secret-missing", "Identity verification is not set up", 409, "Store this website's Crisp identity-verification secret in the plugin settings page first.")),
        [("PostEvent", 409)] = ("The Idempotency-Key was already used for a different request (idempotency-key-conflict), or the message_id for a different event (message-id-conflict); nothing was stored.",
            Problem("message-id-conflict", "message_id reused", 409, "This message_id was already used for a different event; nothing was stored. Use a new message_id for a new event.")),
        [("PostEventBatch", 409)] = ("The Idempotency-Key was already used for a different request; nothing was stored. (A reused message_id only rejects its item: see its result.)",
            Problem("idempotency-key-conflict", "Idempotency-Key reused", 409, "This Idempotency-Key was already used, within the last 24 hours, for a different request (method, path or body). Use a new key for a new request.")),
    };

    private static readonly Dictionary<string, string> QueryDescriptions = new(StringComparer.Ordinal)
    {
        ["status"] = "Only deliveries in this state now: queued, sending, sent, retrying, dead or paused (one value). Applied when each page is "
            + "read, so a walk with a status misses calls that reach it after the cursor passed them: see the operation's description.",
        ["since"] = "Only deliveries created at or after this time: an ISO-8601 date (2026-11-25) or date and time (2026-11-25T09:00:00Z; "
            + "without an offset it is UTC; send an offset's '+' as %2B).",
        ["cursor"] = "The next_cursor of the previous page, unchanged (with the same status and since); absent or empty: from the "
            + "first delivery. (An empty status, since or limit is also the same as leaving it out.)",
        ["limit"] = "Page size, 1–200 (default 50).",
        ["dry_run"] = "true: answer the plan (200) and queue nothing.",
        ["prune"] = "true: also delete files and folders Crisp has but the archive does not (only in the locale/content-type trees the archive names).",
    };

    /// <summary>Every problem document carries the request's trace id (quote it when asking for help): say so in its schemas.</summary>
    private static void DocumentTraceId(SchemaRepository repository)
    {
        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
        {
            if (repository.Schemas.TryGetValue(name, out var schema) && schema is OpenApiSchema { Properties: { } properties } && !properties.ContainsKey("trace_id"))
            {
                properties["trace_id"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "The request's W3C trace id (traceparent form); quote it when reporting a problem.",
                };
            }
        }
    }

    private static string Problem(string type, string title, int status, string detail) =>
        $$"""{"type": "https://integrationhub.dev/problems/{{type}}", "title": "{{title}}", "status": {{status}}, "detail": "{{detail}}", "trace_id": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}""";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        // Every /api/v1 route is behind the API key and the per-tenant rate limit, whether or not it declares so; and
        // every one answers 503 while the database is unreachable (checking the key reads it), GETs included.
        operation.Responses ??= [];
        foreach (var status in new[] { "401", "429", "503" })
        {
            if (!operation.Responses.ContainsKey(status))
            {
                operation.Responses[status] = new OpenApiResponse
                {
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ApiDocs.ProblemJson] = new() { Schema = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository) },
                    },
                };
            }
        }

        DocumentTraceId(context.SchemaRepository);
        var id = operation.OperationId;
        if (id is not null && Examples.TryGetValue(id, out var examples))
        {
            if (examples.Request is not null && operation.RequestBody?.Content is { } requestContent)
            {
                foreach (var media in requestContent.Values)
                {
                    media.Example = JsonNode.Parse(examples.Request);
                }
            }

            foreach (var (status, example) in examples.Responses)
            {
                if (operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                    && response.Content is { } content)
                {
                    foreach (var media in content.Values)
                    {
                        media.Example = JsonNode.Parse(example);
                    }
                }
            }
        }

        foreach (var (code, response) in operation.Responses ?? [])
        {
            // Every error the API answers is a problem document, also where an endpoint declared only the status
            // (.Produces(404)): without content a generated client reads such an answer as having no body.
            if ((code[0] is '4' or '5') && response is OpenApiResponse { Content: null or { Count: 0 } } bare)
            {
                bare.Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ApiDocs.ProblemJson] = new() { Schema = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository) },
                };
            }

            if (!int.TryParse(code, out var status) || response is not OpenApiResponse concrete
                || !((id is not null && OperationProblems.TryGetValue((id, status), out var problem)) || Problems.TryGetValue(status, out problem)))
            {
                continue;
            }

            concrete.Description = problem.Description;
            foreach (var media in concrete.Content?.Values ?? [])
            {
                media.Example = JsonNode.Parse(problem.Example);
            }

            if (status is 429 or 503)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before retrying.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                };
            }
        }

        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IntegrationHub.Web.Features.Idempotency.IdempotentEndpointMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key",
                In = ParameterLocation.Header,
                Required = false,
                Description = "Optional, 1–255 printable ASCII characters (a UUID is a good choice). Repeating a request with the same key within "
                    + "24 hours returns the original answer (with 'Idempotent-Replayed: true') and stores nothing new; the same key with a "
                    + "different request answers 409.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
            });

            foreach (var (_, success) in (operation.Responses ?? []).Where(r => r.Key.StartsWith('2')))
            {
                if (success is OpenApiResponse concrete)
                {
                    concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    concrete.Headers["Idempotent-Replayed"] = new OpenApiHeader
                    {
                        Description = "'true' when this is the stored answer to an earlier request with the same Idempotency-Key (nothing new was stored).",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }
        }

        if (id == "PostEvent" && operation.Responses?.TryGetValue("202", out var accepted) == true && accepted is OpenApiResponse acceptedResponse)
        {
            acceptedResponse.Headers ??= new Dictionary<string, IOpenApiHeader>();
            acceptedResponse.Headers["Location"] = new OpenApiHeader
            {
                Description = "The event's URL (GET /api/v1/events/{id}): the rules it matched and the state of its Crisp calls.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }

        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter is OpenApiParameter { In: ParameterLocation.Query } query && query.Name is { } name && QueryDescriptions.TryGetValue(name, out var description))
            {
                query.Description = description;
                // The handler reads them as text (to answer a 422 naming the field), which documented them as free strings.
                if (id == "ListDeliveries" && name == "status")
                {
                    query.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Enum = [.. Enum.GetNames<IntegrationHub.Web.Features.Delivery.CrispCallStatus>().Select(n => (JsonNode)JsonValue.Create(n.ToLowerInvariant()))],
                    };
                }
                else if (id == "ListDeliveries" && name == "limit")
                {
                    query.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Default = JsonValue.Create(IntegrationHub.Web.Features.Events.EventsApi.PageDefault) };
                }
            }
            else if (parameter is OpenApiParameter { In: ParameterLocation.Path, Name: "email" } email)
            {
                email.Description = "The contact's email address (URL-encoded; the hub lower-cases it).";
            }
            else if (parameter is OpenApiParameter { In: ParameterLocation.Path, Name: "id" } eventId)
            {
                eventId.Description = "The event id answered by POST /api/v1/events.";
            }
        }
    }
}
