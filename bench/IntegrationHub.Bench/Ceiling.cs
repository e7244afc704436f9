using System.Text.Json;

namespace IntegrationHub.Bench;

/// <summary>
/// The ceiling: bare Kestrel, one JSON endpoint that reads the same body as POST /api/v1/events, parses it and
/// answers 202 with an id. No auth, no validation, no database: what this machine can do at all.
/// </summary>
internal static class Ceiling
{
    public static async Task<int> ServeAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/ceiling", async (HttpRequest request) =>
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            _ = document.RootElement.GetProperty("event").GetString();
            return Results.Json(new { id = Guid.CreateVersion7(), status = "accepted" }, statusCode: StatusCodes.Status202Accepted);
        });
        app.MapGet("/health", () => "ok");
        await app.RunAsync();
        return 0;
    }
}
