using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace IntegrationHub.Crisp;

public static class CrispServiceCollectionExtensions
{
    /// <summary>Name of the resilience pipeline in front of the Crisp client.</summary>
    public const string ResiliencePipelineName = "crisp";

    /// <summary>
    /// Registers <see cref="CrispClient"/> as a typed <see cref="HttpClient"/> client. Options come from
    /// <paramref name="configure"/> and from whatever the caller binds (e.g. <c>BindConfiguration("Crisp")</c>).
    /// Every attempt is bounded by <see cref="CrispClientOptions.Timeout"/>; 5xx answers, network failures and
    /// timeouts get one retry after <see cref="CrispClientOptions.RetryDelay"/>. 4xx, 420 and 429 are never retried.
    /// Resilience handlers a host adds to every client (<c>ConfigureHttpClientDefaults</c>) are removed from this one,
    /// so that nothing else retries Crisp calls behind the hub's scheduler.
    /// </summary>
    public static IHttpClientBuilder AddCrispClient(this IServiceCollection services, Action<CrispClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<CrispClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => o.BaseUrl is { IsAbsoluteUri: true }, "Crisp:BaseUrl must be an absolute URL.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Crisp:Timeout must be positive.")
            .Validate(o => o.RetryDelay >= TimeSpan.Zero, "Crisp:RetryDelay must not be negative.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);

        var builder = services.AddHttpClient<CrispClient>(http =>
        {
            // Each attempt is bounded by the resilience pipeline's timeout, not by HttpClient.Timeout.
            http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        });

#pragma warning disable EXTEXP0001 // experimental API; the only way to opt one client out of ConfigureHttpClientDefaults
        builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.AddResilienceHandler(ResiliencePipelineName, static (pipeline, context) =>
        {
            var crisp = context.ServiceProvider.GetRequiredService<IOptions<CrispClientOptions>>().Value;
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 1,
                Delay = crisp.RetryDelay,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldRetryAfterHeader = false,
                ShouldHandle = static args => ValueTask.FromResult(IsRetryable(args.Outcome)),
                OnRetry = static args =>
                {
                    // Remember that Crisp may have carried out the timed-out attempt.
                    if (args.Outcome.Exception is TimeoutRejectedException && args.Context.GetRequestMessage() is { } request)
                    {
                        request.Options.Set(CrispClient.TimedOutAttempt, true);
                    }

                    return default;
                },
            });
            pipeline.AddTimeout(crisp.Timeout);
        });

        return builder;
    }

    /// <summary>5xx and transport failures; never rate limiting (420/429) nor other 4xx.</summary>
    internal static bool IsRetryable(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Exception: TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500,
        _ => false,
    };
}
