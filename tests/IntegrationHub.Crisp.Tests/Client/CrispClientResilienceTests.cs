using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Crisp.Tests.Client;

public sealed class CrispClientResilienceTests
{
    [Fact]
    public async Task RateLimited_429WithRetryAfterSeconds_TypedOutcomeAndNoRetry()
    {
        using var stub = new StubbedCrispClient((_, _) =>
        {
            var response = StubCrispHandler.Error(HttpStatusCode.TooManyRequests, "rate_limited");
            response.Headers.Add("Retry-After", "30");
            return response;
        });

        var ex = await Assert.ThrowsAsync<CrispRateLimitedException>(() => stub.Client.Plugin.GetAccountAsync());

        Assert.Equal(429, ex.StatusCode);
        Assert.Equal("rate_limited", ex.Reason);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
        Assert.Single(stub.Handler.Requests);
    }

    [Fact]
    public async Task RateLimited_420WithRetryAfterDate_ParsedAgainstClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        using var stub = new StubbedCrispClient(
            (_, _, _) =>
            {
                var response = StubCrispHandler.Error((HttpStatusCode)420, "quota_limit_exceeded");
                response.Headers.Add("Retry-After", "Wed, 25 Nov 2026 10:02:00 GMT");
                return Task.FromResult(response);
            },
            timeProvider: clock);

        var ex = await Assert.ThrowsAsync<CrispRateLimitedException>(() => stub.Client.People.ListProfilesAsync("w", 1));

        Assert.Equal(420, ex.StatusCode);
        Assert.Equal("quota_limit_exceeded", ex.Reason);
        Assert.Equal(TimeSpan.FromMinutes(2), ex.RetryAfter);
        Assert.Single(stub.Handler.Requests);
    }

    [Fact]
    public async Task RateLimited_WithoutHeaderOrBody_RetryAfterNull()
    {
        using var stub = new StubbedCrispClient((_, _) => new HttpResponseMessage(HttpStatusCode.TooManyRequests));

        var ex = await Assert.ThrowsAsync<CrispRateLimitedException>(() => stub.Client.Plugin.GetAccountAsync());

        Assert.Null(ex.RetryAfter);
        Assert.Equal("http_error", ex.Reason);
        Assert.Single(stub.Handler.Requests);
    }

    [Fact]
    public async Task ServerError_Once_RetriedOnceThenSucceeds()
    {
        using var stub = new StubbedCrispClient((_, n) => n == 1
            ? StubCrispHandler.Error(HttpStatusCode.BadGateway, "server_error")
            : StubCrispHandler.Envelope(HttpStatusCode.OK, """{"plugin_id":"p"}"""));

        var account = await stub.Client.Plugin.GetAccountAsync();

        Assert.Equal("p", account.PluginId);
        Assert.Equal(2, stub.Handler.Requests.Count);
    }

    [Fact]
    public async Task ServerError_Persisting_ExactlyOneRetryThenApiException()
    {
        using var stub = new StubbedCrispClient((_, _) => StubCrispHandler.Error(HttpStatusCode.ServiceUnavailable, "unavailable"));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => stub.Client.Conversations.CreateAsync("w"));

        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(2, stub.Handler.Requests.Count);
    }

    [Fact]
    public async Task ServerError_RetryResendsTheSameBody()
    {
        using var stub = new StubbedCrispClient((_, n) => n == 1
            ? new HttpResponseMessage(HttpStatusCode.InternalServerError)
            : StubCrispHandler.Envelope(HttpStatusCode.Accepted, """{"fingerprint":123456789012345}""", "dispatched"));

        var fingerprint = await stub.Client.Conversations.SendMessageAsync("w", "session_1", CrispMessageInput.Text("hi"));

        Assert.Equal(123456789012345L, fingerprint);
        Assert.Equal(2, stub.Handler.Requests.Count);
        Assert.Equal(stub.Handler.Requests[0].Body, stub.Handler.Requests[1].Body);
        Assert.Contains("\"content\":\"hi\"", stub.Handler.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworkError_Persisting_OneRetryThenTransportException()
    {
        using var stub = new StubbedCrispClient((_, _) => throw new HttpRequestException("connection refused"));

        var ex = await Assert.ThrowsAsync<CrispTransportException>(() => stub.Client.Plugin.GetAccountAsync());

        Assert.False(ex.IsTimeout);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(2, stub.Handler.Requests.Count);
    }

    [Fact]
    public async Task NetworkError_Once_RetriedThenSucceeds()
    {
        using var stub = new StubbedCrispClient((_, n) => n == 1
            ? throw new HttpRequestException("reset")
            : StubCrispHandler.Envelope(HttpStatusCode.OK, """{"plugin_id":"p"}"""));

        Assert.Equal("p", (await stub.Client.Plugin.GetAccountAsync()).PluginId);
        Assert.Equal(2, stub.Handler.Requests.Count);
    }

    [Fact]
    public async Task Timeout_EveryAttempt_DistinctTimeoutOutcomeAfterOneRetry()
    {
        using var stub = new StubbedCrispClient(
            async (_, _, ct) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return new HttpResponseMessage(HttpStatusCode.OK);
            },
            o => o.Timeout = TimeSpan.FromMilliseconds(500));

        var ex = await Assert.ThrowsAsync<CrispTransportException>(() => stub.Client.Conversations.SendMessageAsync("w", "s", CrispMessageInput.Note("n")));

        Assert.True(ex.IsTimeout);
        Assert.Contains("unknown", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, stub.Handler.Requests.Count);
    }

    [Fact]
    public async Task Timeout_ThenServerError_StillUnknownOutcome()
    {
        using var stub = new StubbedCrispClient(
            async (_, n, ct) =>
            {
                if (n == 1)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }

                return StubCrispHandler.Error(HttpStatusCode.ServiceUnavailable, "unavailable");
            },
            o => o.Timeout = TimeSpan.FromMilliseconds(500));

        var ex = await Assert.ThrowsAsync<CrispTransportException>(() => stub.Client.Conversations.SendMessageAsync("w", "s", CrispMessageInput.Text("t")));

        Assert.True(ex.IsTimeout);
        Assert.Equal(2, stub.Handler.Requests.Count);
    }

    [Fact]
    public async Task Timeout_ThenNetworkError_StillUnknownOutcome()
    {
        using var stub = new StubbedCrispClient(
            async (_, n, ct) =>
            {
                if (n == 1)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }

                throw new HttpRequestException("connection refused");
            },
            o => o.Timeout = TimeSpan.FromMilliseconds(500));

        var ex = await Assert.ThrowsAsync<CrispTransportException>(() => stub.Client.Campaigns.DispatchAsync("w", "c"));

        Assert.True(ex.IsTimeout);
        Assert.Equal(2, stub.Handler.Requests.Count);
    }

    [Fact]
    public async Task Timeout_ThenSuccess_Succeeds()
    {
        using var stub = new StubbedCrispClient(
            async (_, n, ct) =>
            {
                if (n == 1)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }

                return StubCrispHandler.Envelope(HttpStatusCode.OK, """{"plugin_id":"p"}""");
            },
            o => o.Timeout = TimeSpan.FromMilliseconds(500));

        Assert.Equal("p", (await stub.Client.Plugin.GetAccountAsync()).PluginId);
        Assert.Equal(2, stub.Handler.Requests.Count);
    }

    [Fact]
    public async Task ServerError_ThenNetworkError_NotATimeout()
    {
        using var stub = new StubbedCrispClient((_, n) => n == 1
            ? new HttpResponseMessage(HttpStatusCode.BadGateway)
            : throw new HttpRequestException("reset"));

        var ex = await Assert.ThrowsAsync<CrispTransportException>(() => stub.Client.Plugin.GetAccountAsync());

        Assert.False(ex.IsTimeout);
    }

    [Fact]
    public async Task CallerCancellation_PropagatesAsCancellation()
    {
        using var cts = new CancellationTokenSource();
        using var stub = new StubbedCrispClient(async (_, _, ct) =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stub.Client.Plugin.GetAccountAsync(cts.Token));
        Assert.Single(stub.Handler.Requests);
    }
}
