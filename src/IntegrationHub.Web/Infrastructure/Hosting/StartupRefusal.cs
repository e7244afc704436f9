using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Hosting;

/// <summary>
/// Why start-up stops without starting: settings an options check refused (each naming its key), a setting that is
/// not of its key's type, a database that stays unreachable or lacks this hub's migrations, demo mode over a database synced with Crisp.
/// </summary>
public static class StartupRefusal
{
    private static readonly string? ConfigurationBinder = typeof(ConfigurationBinder).Assembly.GetName().Name;

    /// <summary>One message per problem; none for an error that is not a refusal (a bug keeps its stack trace).</summary>
    public static IReadOnlyList<string> Messages(Exception error) => error switch
    {
        OptionsValidationException options => [.. options.Failures],
        AggregateException many when many.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)],
        // "Failed to convert configuration value 'abc' at 'Jobs:WorkerCount' to type 'System.Int32'.": the binder's
        // own sentence names the key; without the inner conversion error it is a type the binder cannot build (a bug).
        InvalidOperationException { InnerException: FormatException or ArgumentException or OverflowException } binding
            when binding.Source == ConfigurationBinder => [binding.Message],
        Data.DatabaseUnavailableException database => [database.Message],
        Data.DatabaseNotMigratedException schema => [schema.Message],
        Features.Credentials.LocalKeyRingMissingException keyRing => [keyRing.Message],
        Features.Credentials.LocalKeyRingUnusableException keyRing => [keyRing.Message],
        Features.Installations.DemoModeOverCrispDataException demo => [demo.Message],
        _ => [],
    };

    /// <summary>
    /// Logs the refusals of a start-up that failed before the host was built (a setting read while the services were
    /// registered), through a console logger configured like the host's would have been.
    /// </summary>
    public static void LogBeforeHost(IConfiguration configuration, IReadOnlyList<string> messages)
    {
        try
        {
            using var loggers = LoggerFactory.Create(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddConsole());
            var logger = loggers.CreateLogger(typeof(StartupRefusal).Assembly.GetName().Name!);
            foreach (var message in messages)
            {
                logger.LogCritical("{Error}", message);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // The Logging section itself is unreadable: the sentences still reach the operator.
            foreach (var message in messages)
            {
                Console.Error.WriteLine(message);
            }
        }
    }
}
