namespace IntegrationHub.Web.Features.Helpdesk;

public static class HelpdeskRegistration
{
    public static WebApplicationBuilder AddHubHelpdesk(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HelpdeskOptions>().BindConfiguration(HelpdeskOptions.Section)
            .Validate(o => o.MaxArchiveBytes > 0 && o.MaxFileBytes > 0 && o.MaxFiles > 0 && o.MaxUnpackedBytes > 0, "Helpdesk limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddScoped<HelpdeskRemote>();
        builder.Services.AddScoped<HelpdeskPlanner>();
        builder.Services.AddScoped<HelpdeskSyncRunner>();
        builder.Services.AddScoped<HelpdeskSyncService>();
        builder.Services.AddScoped<HelpdeskEditor>();
        builder.Services.AddSingleton<MarkdownPreview>();
        return builder;
    }
}
