using System.Collections.Concurrent;
using Azure.Core;

namespace IntegrationHub.Security.Tests.Fakes;

/// <summary>Hands out one known bearer token and records the scopes asked for.</summary>
public sealed class FakeTokenCredential : TokenCredential
{
    private readonly ConcurrentQueue<string[]> _requestedScopes = new();

    public string Token { get; } = "fake-kv-token-" + Guid.NewGuid().ToString("N");

    public IReadOnlyCollection<string[]> RequestedScopes => _requestedScopes;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        _requestedScopes.Enqueue(requestContext.Scopes);
        return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
