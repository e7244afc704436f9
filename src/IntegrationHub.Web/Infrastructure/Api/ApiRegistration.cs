using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.HookReactions;
using IntegrationHub.Web.Features.Kit;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Features.Helpdesk;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Features.Contacts;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace IntegrationHub.Web.Infrastructure.Api;

public static class ApiRegistration
{
    public const string ApiKeyPolicy = "ApiKey";

    public static WebApplicationBuilder AddHubApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(HubAuthentication.SchemeName, "API key under /api, Identity cookie elsewhere", options =>
                options.ForwardDefaultSelector = HubAuthentication.SchemeFor);
        // After AddIdentity (which made its cookie the default): every request is authenticated ONCE, by the scheme
        // its path calls for. An API request never runs the cookie handler, and the policy below needs no scheme of
        // its own, so the API key is not checked a second time and no merged principal is built per request.
        builder.Services.Configure<AuthenticationOptions>(options =>
        {
            options.DefaultAuthenticateScheme = HubAuthentication.SchemeName;
            options.DefaultChallengeScheme = HubAuthentication.SchemeName;
            options.DefaultForbidScheme = HubAuthentication.SchemeName;
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireClaim(HubClaims.TenantId));

        // snake_case everywhere in the public API, like Crisp's own API that customers already know.
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DictionaryKeyPolicy = null;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            options.SerializerOptions.MaxDepth = 32;
        });

        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "IntegrationHub API",
                Version = "v1",
                Description = "Push product events, user context and contacts from your backend to Crisp, through the hub's "
                    + "rate-limited, retried delivery queues. Authenticate with 'Authorization: Bearer <api key>'. "
                    + "Errors are RFC 9457 problem details.",
            });
            options.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A tenant API key, created in the dashboard or with `apikey create`.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("bearer", document)] = [],
            });
            options.DocInclusionPredicate((_, api) => api.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);
            options.OperationFilter<ApiExamplesOperationFilter>();
            // Any JSON value (rule condition values, preview payloads and bodies). Described as the class, it read as an
            // object of {options, parent, root}: a generated client could not send a number or read a string there.
            options.MapType<System.Text.Json.Nodes.JsonNode>(() => new OpenApiSchema { Description = "Any JSON value." });
            // Without it every reference type is documented as nullable, so a required `event` read as "may be null".
            options.SupportNonNullableReferenceTypes();
            var xml = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml");
            if (File.Exists(xml))
            {
                options.IncludeXmlComments(xml);
            }
        });
        // Swashbuckle describes types with MVC's JSON options when MVC is registered (the dashboard's controllers):
        // camelCase, while the API answers and reads snake_case. Its schemas must use the API's own options.
        builder.Services.AddTransient<ISerializerDataContractResolver>(services =>
            new JsonSerializerDataContractResolver(services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions));
        builder.Services.AddRequestDecompression(CheckedDecompression.Wrap);
        builder.AddHubApiRateLimiting();
        return builder;
    }

    public static WebApplication MapHubApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(ApiKeyPolicy).RequireRateLimiting(ApiRateLimiting.Policy);
        api.MapTenantApi();
        api.MapKitApi();
        api.MapRulesApi();
        api.MapEventsApi();
        api.MapContactsApi();
        api.MapRelayApi();
        api.MapHelpdeskApi();
        api.MapAutoRepliesApi();
        api.MapWebsiteHookApi();

        // Both Swagger middlewares sit in front of every endpoint and match each request's path against their
        // templates (~2 % of the hub's CPU per ingest request in a profile); they only ever answer under /swagger.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger =>
        {
            swagger.UseSwagger();
            swagger.UseSwaggerUI(options =>
            {
                options.SwaggerEndpoint("/swagger/v1/swagger.json", "IntegrationHub API v1");
                options.DocumentTitle = "IntegrationHub API";
            });
        });
        return app;
    }
}
