namespace IntegrationHub.Web.Infrastructure.Hosting;

public static class DataDirectory
{
    /// <summary>The absolute data directory, created if missing.</summary>
    public static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[$"{HubOptions.Section}:{nameof(HubOptions.DataDirectory)}"];
        var path = string.IsNullOrWhiteSpace(configured) ? "App_Data" : configured;
        var full = Path.GetFullPath(path, environment.ContentRootPath);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A typo or a volume mounted read-only: the operator needs the key and the path, not a stack trace.
            throw new Microsoft.Extensions.Options.OptionsValidationException(HubOptions.Section, typeof(HubOptions),
                [$"Hub:DataDirectory '{full}' cannot be created or used: {ex.Message}"]);
        }

        return full;
    }
}
