using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Hosting;

/// <summary>Why start-up stops without starting: settings an options check refused (each naming its key), or a database that stays unreachable.</summary>
public static class StartupRefusal
{
    /// <summary>One message per problem; none for an error that is not a refusal (a bug keeps its stack trace).</summary>
    public static IReadOnlyList<string> Messages(Exception error) => error switch
    {
        OptionsValidationException options => [.. options.Failures],
        AggregateException many when many.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)],
        Data.DatabaseUnavailableException database => [database.Message],
        Features.Credentials.LocalKeyRingMissingException keyRing => [keyRing.Message],
        _ => [],
    };
}
