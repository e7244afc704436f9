using System.Globalization;
using Hangfire;
using IntegrationHub.Web.Infrastructure.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Relay;

/// <summary><c>/api/v1/relay</c>: a tenant's webhook endpoints, their secrets (shown once) and deliveries.</summary>
public static class RelayApi
{
    private const int MaxBodyBytes = 16 * 1024;

    public sealed record RelayEndpointRequest(string? Url, IReadOnlyList<string>? Events);

    public sealed record RelayEndpointResponse(Guid Id, string Url, IReadOnlyList<string> Events, bool Enabled, string? DisabledReason, DateTimeOffset CreatedAt, DateTimeOffset? FailingSince, DateTimeOffset? PreviousSecretExpiresAt);

    public sealed record RelayEndpointCreatedResponse(RelayEndpointResponse Endpoint, string Secret);

    public sealed record RelaySecretResponse(Guid EndpointId, string Secret, DateTimeOffset? PreviousSecretExpiresAt);

    public sealed record RelayDeliveryResponse(Guid Id, Guid EndpointId, string Event, string WebhookId, string Status, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, int? LastStatus, long? LatencyMs, string? ResponseExcerpt, Guid? ReplayOfId);

    public sealed record RelayDeliveryAttemptResponse(int Number, DateTimeOffset StartedAt, int? StatusCode, string? Error, long LatencyMs, string? ResponseExcerpt);

    public sealed record RelayDeliveryDetailResponse(RelayDeliveryResponse Delivery, IReadOnlyList<RelayDeliveryAttemptResponse> Attempts);

    public static RouteGroupBuilder MapRelayApi(this RouteGroupBuilder api)
    {
        var relay = api.MapGroup("/relay").WithTags("Relay");
        relay.MapPost("/endpoints", CreateAsync).WithName("CreateRelayEndpoint")
            .WithSummary("Register an endpoint; the signing secret is in this response only")
            .Accepts<RelayEndpointRequest>("application/json")
            .Produces<RelayEndpointCreatedResponse>(StatusCodes.Status201Created)
            .WithStandardErrors(withBody: true);
        relay.MapPatch("/endpoints/{id:guid}", UpdateAsync).WithName("UpdateRelayEndpoint")
            .WithSummary("Change an endpoint's url and/or events in place; its queued and retrying deliveries go to the new url (same webhook id), due now")
            .Accepts<RelayEndpointRequest>("application/json")
            .Produces<RelayEndpointResponse>()
            .WithStandardErrors(withBody: true, notFound: true);
        relay.MapGet("/endpoints", ListAsync).WithName("ListRelayEndpoints").WithSummary("The website's relay endpoints");
        relay.MapDelete("/endpoints/{id:guid}", DeleteAsync).WithName("DeleteRelayEndpoint").WithSummary("Delete an endpoint and its deliveries");
        relay.MapPost("/endpoints/{id:guid}/rotate-secret", RotateAsync).WithName("RotateRelayEndpointSecret")
            .WithSummary("New signing secret (shown once); the previous one keeps signing during the overlap");
        relay.MapPost("/endpoints/{id:guid}/enable", EnableAsync).WithName("EnableRelayEndpoint")
            .WithSummary("Switch an endpoint on again, e.g. after the relay disabled it for failing (its failure clock restarts; failed deliveries can be replayed)")
            .Produces<RelayEndpointResponse>().WithStandardErrors(withBody: false, notFound: true, validation: false);
        relay.MapPost("/endpoints/{id:guid}/disable", DisableAsync).WithName("DisableRelayEndpoint")
            .WithSummary("Switch an endpoint off: nothing is fanned out to it until it is enabled")
            .Produces<RelayEndpointResponse>().WithStandardErrors(withBody: false, notFound: true, validation: false);
        relay.MapGet("/endpoints/{id:guid}/deliveries", DeliveriesAsync).WithName("ListRelayDeliveries").WithSummary("Recent deliveries to an endpoint, newest first")
            .Produces<List<RelayDeliveryResponse>>().WithStandardErrors(withBody: false, notFound: true);
        relay.MapGet("/deliveries/{id:guid}", DeliveryAsync).WithName("GetRelayDelivery").WithSummary("One delivery with every attempt (status or error, latency, response excerpt)");
        relay.MapPost("/deliveries/{id:guid}/replay", ReplayAsync).WithName("ReplayRelayDelivery").WithSummary("Send a delivery again (new webhook id); 422 when its endpoint is disabled or deleted")
            .WithStandardErrors(withBody: false, notFound: true);
        return api;
    }

    internal static RelayEndpointResponse ToResponse(RelayEndpoint e) =>
        new(e.Id, e.Url, e.Filters, e.Enabled, e.DisabledReason, e.CreatedAt, e.FailingSince, e.PreviousSecretExpiresAt);

    internal static RelayDeliveryResponse ToResponse(RelayDelivery d) =>
        new(d.Id, d.EndpointId, d.Event, d.WebhookId, d.Status, d.Attempts, d.NextAttemptAt, d.CreatedAt, d.LastAttemptAt, d.LastStatus, d.LatencyMs, d.ResponseExcerpt, d.ReplayOfId);

    internal static RelayDeliveryAttemptResponse ToResponse(RelayDeliveryAttempt a) =>
        new(a.Number, a.StartedAt, a.StatusCode, a.Error, a.LatencyMs, a.ResponseExcerpt);

    private static async Task<IResult> CreateAsync(HttpContext http, IOptions<JsonOptions> json, RelayService relay, IOptions<RelayOptions> options,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await TypedJsonRequestReader.ReadAsync<RelayEndpointRequest>(http.Request, MaxBodyBytes,
            json.Value.SerializerOptions, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = relay.Validate(request?.Url, request?.Events);
        if (errors.Count == 0 && await relay.CountAsync(cancellationToken) >= options.Value.MaxEndpointsPerTenant)
        {
            errors["url"] = [$"At most {options.Value.MaxEndpointsPerTenant} endpoints per website."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var created = await relay.CreateAsync(request!.Url!, request.Events!, cancellationToken);
        return TypedResults.Created($"/api/v1/relay/endpoints/{created.Endpoint.Id:D}", new RelayEndpointCreatedResponse(ToResponse(created.Endpoint), created.Secret));
    }

    private static async Task<IResult> UpdateAsync(Guid id, HttpContext http, IOptions<JsonOptions> json, RelayService relay, IBackgroundJobClient jobs,
        CancellationToken cancellationToken)
    {
        var (request, problem) = await TypedJsonRequestReader.ReadAsync<RelayEndpointRequest>(http.Request, MaxBodyBytes,
            json.Value.SerializerOptions, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (await relay.FindAsync(id, cancellationToken) is not { } endpoint)
        {
            return ApiProblems.NotFoundProblem("No relay endpoint with this id.");
        }

        if (request?.Url is null && request?.Events is null)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["url"] = ["Give url, events or both."] });
        }

        // What is not given is kept, and checked as it is: the same rules as on creation.
        var errors = relay.Validate(request.Url ?? endpoint.Url, request.Events ?? endpoint.Filters);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var updated = await relay.UpdateAsync(id, request.Url, request.Events, http.User.Identity?.Name ?? "api", cancellationToken);
        if (updated is null)
        {
            return ApiProblems.NotFoundProblem("No relay endpoint with this id.");
        }

        if (request.Url is not null)
        {
            jobs.Enqueue<RelaySender>(s => s.DrainAsync(CancellationToken.None));
        }

        return TypedResults.Ok(ToResponse(updated));
    }

    private static async Task<Ok<List<RelayEndpointResponse>>> ListAsync(RelayService relay, CancellationToken cancellationToken) =>
        TypedResults.Ok((await relay.ListAsync(cancellationToken)).Select(ToResponse).ToList());

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, RelayService relay, CancellationToken cancellationToken) =>
        await relay.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<RelaySecretResponse>, NotFound>> RotateAsync(Guid id, RelayService relay, CancellationToken cancellationToken)
    {
        var secret = await relay.RotateSecretAsync(id, cancellationToken);
        if (secret is null)
        {
            return TypedResults.NotFound();
        }

        var endpoint = await relay.FindAsync(id, cancellationToken);
        return TypedResults.Ok(new RelaySecretResponse(id, secret, endpoint?.PreviousSecretExpiresAt));
    }

    private static Task<Results<Ok<RelayEndpointResponse>, NotFound>> EnableAsync(Guid id, HttpContext http, RelayService relay, CancellationToken cancellationToken) =>
        SetEnabledAsync(id, true, http, relay, cancellationToken);

    private static Task<Results<Ok<RelayEndpointResponse>, NotFound>> DisableAsync(Guid id, HttpContext http, RelayService relay, CancellationToken cancellationToken) =>
        SetEnabledAsync(id, false, http, relay, cancellationToken);

    private static async Task<Results<Ok<RelayEndpointResponse>, NotFound>> SetEnabledAsync(Guid id, bool enabled, HttpContext http, RelayService relay,
        CancellationToken cancellationToken) =>
        await relay.SetEnabledAsync(id, enabled, http.User.Identity?.Name ?? "api", cancellationToken) is { } endpoint
            ? TypedResults.Ok(ToResponse(endpoint))
            : TypedResults.NotFound();

    private static async Task<IResult> DeliveriesAsync(Guid id, RelayService relay, CancellationToken cancellationToken, string? limit = null)
    {
        // Read as text: a bound int? answers "abc" with the framework's 400 instead of the API's 422 naming the field.
        var pageSize = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 200))
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["limit"] = ["A whole number from 1 to 200."] });
        }

        if (await relay.FindAsync(id, cancellationToken) is null)
        {
            return ApiProblems.NotFoundProblem("No relay endpoint with this id.");
        }

        return TypedResults.Ok((await relay.DeliveriesAsync(id, pageSize, cancellationToken)).Select(ToResponse).ToList());
    }

    private static async Task<Results<Ok<RelayDeliveryDetailResponse>, NotFound>> DeliveryAsync(Guid id, RelayService relay, CancellationToken cancellationToken)
    {
        if (await relay.DeliveryAsync(id, cancellationToken) is not { } delivery)
        {
            return TypedResults.NotFound();
        }

        var attempts = await relay.AttemptsAsync(id, cancellationToken);
        return TypedResults.Ok(new RelayDeliveryDetailResponse(ToResponse(delivery), attempts.Select(ToResponse).ToList()));
    }

    private static async Task<Results<Accepted<RelayDeliveryResponse>, NotFound, ApiProblems.ProblemResult>> ReplayAsync(Guid id, RelayService relay,
        IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        RelayDelivery? replay;
        try
        {
            replay = await relay.ReplayAsync(id, cancellationToken);
        }
        catch (ReplayRefusedException refused)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["endpoint"] = [refused.Message] });
        }

        if (replay is null)
        {
            return TypedResults.NotFound();
        }

        jobs.Enqueue<RelaySender>(s => s.DrainAsync(CancellationToken.None));
        return TypedResults.Accepted((string?)null, ToResponse(replay));
    }
}
