namespace IntegrationHub.Web.Features.Idempotency;

/// <summary>Marks an endpoint that honours the Idempotency-Key header, so the OpenAPI document offers the header
/// there and only there (a client must not believe a repeat of any other request is safe).</summary>
public sealed class IdempotentEndpointMetadata;

public static class IdempotentEndpoint
{
    public static RouteHandlerBuilder AcceptsIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new IdempotentEndpointMetadata());
}
