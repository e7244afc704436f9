namespace IntegrationHub.Web.Features.Hooks;

public static class HooksRegistration
{
    public static WebApplicationBuilder AddHubHooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HookOptions>().BindConfiguration(HookOptions.Section);
        builder.Services.AddSingleton<HookSecretSource>();
        builder.Services.AddScoped<HookProcessor>();
        builder.Services.AddScoped<HookReactions.HookReactionService>();
        builder.Services.AddScoped<HookReactions.AutoReplySlots>();
        return builder;
    }
}
