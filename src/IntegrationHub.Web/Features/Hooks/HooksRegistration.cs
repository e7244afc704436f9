namespace IntegrationHub.Web.Features.Hooks;

public static class HooksRegistration
{
    public static WebApplicationBuilder AddHubHooks(this WebApplicationBuilder builder)
    {
        // Checked at start-up: a zero or negative limit would answer every signed hook 413, a non-positive tolerance
        // would refuse every hook as a replay — both only noticed once Crisp's hooks were already being lost.
        builder.Services.AddOptions<HookOptions>().BindConfiguration(HookOptions.Section)
            .Validate(o => o.MaxBodyBytes >= HookOptions.MinBodyBytes, $"Hooks:MaxBodyBytes must be at least {HookOptions.MinBodyBytes} (bytes).")
            .Validate(o => o.MaxBodyBytes <= HookOptions.MaxStoredBodyBytes, $"Hooks:MaxBodyBytes must be at most {HookOptions.MaxStoredBodyBytes} (bytes): the hook inbox stores no more.")
            .Validate(o => o.TimestampTolerance > TimeSpan.Zero, "Hooks:TimestampTolerance must be positive.")
            .Validate(o => o.InboxRetention >= HookOptions.MinInboxRetention,
                $"Hooks:InboxRetention must be at least {HookOptions.MinInboxRetention.TotalDays:0} days: a hook's dedup key must outlive Crisp's redeliveries of it, or a redelivery is processed again.")
            .ValidateOnStart();
        builder.Services.AddSingleton<HookSecretSource>();
        builder.Services.AddScoped<HookProcessor>();
        builder.Services.AddScoped<HookInboxRetention>();
        builder.Services.AddScoped<HookReactions.HookReactionService>();
        builder.Services.AddScoped<HookReactions.AutoReplySlots>();
        return builder;
    }
}
