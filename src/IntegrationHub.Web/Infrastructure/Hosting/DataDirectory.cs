namespace IntegrationHub.Web.Infrastructure.Hosting;

public static class DataDirectory
{
    /// <summary>The absolute data directory, created if missing.</summary>
    public static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[$"{HubOptions.Section}:{nameof(HubOptions.DataDirectory)}"];
        var path = string.IsNullOrWhiteSpace(configured) ? "App_Data" : configured;
        var full = Path.GetFullPath(path, environment.ContentRootPath);
        Directory.CreateDirectory(full);
        return full;
    }
}
