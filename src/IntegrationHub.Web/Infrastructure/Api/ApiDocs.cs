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
        [503] = ("The hub could not commit the request; nothing was stored. Retry after Retry-After seconds (with the same Idempotency-Key).", Problem("unavailable", "Temporarily unavailable", 503, "The hub could not store the request right now; nothing was stored. Retry after the delay given in Retry-After.")),
    };

    private static readonly Dictionary<string, string> QueryDescriptions = new(StringComparer.Ordinal)
    {
        ["status"] = "Only deliveries in this state: queued, sending, sent, retrying, dead or paused.",
        ["since"] = "Only deliveries created at or after this ISO-8601 time, e.g. 2026-11-25T09:00:00Z.",
        ["cursor"] = "The next_cursor of the previous page, unchanged.",
        ["limit"] = "Page size, 1–200 (default 50).",
        ["dry_run"] = "true: answer the plan (200) and queue nothing.",
        ["prune"] = "true: also delete files and folders Crisp has but the archive does not (only in the locale/content-type trees the archive names).",
    };

    private static string Problem(string type, string title, int status, string detail) =>
        $$"""{"type": "https://integrationhub.dev/problems/{{type}}", "title": "{{title}}", "status": {{status}}, "detail": "{{detail}}", "trace_id": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}""";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        // Every /api/v1 route is behind the API key and the per-tenant rate limit, whether or not it declares so.
        operation.Responses ??= [];
        foreach (var status in new[] { "401", "429" })
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
            if (!int.TryParse(code, out var status) || !Problems.TryGetValue(status, out var problem) || response is not OpenApiResponse concrete)
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
