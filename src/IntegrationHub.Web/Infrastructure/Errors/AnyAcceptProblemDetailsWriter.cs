using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Errors;

/// <summary>
/// The last writer: a problem document (application/problem+json) whatever the request's Accept header names.
/// The default writer refuses a request whose Accept names neither JSON nor */* (text/plain, application/xml, or a
/// bare text/html sent to /api), and with no writer left <c>IProblemDetailsService.WriteAsync</c> throws: every
/// error the API answers — a 401, a 422, a 404 — became a 500 with an empty body for such a client. An API's error
/// format is its contract, not a negotiation; a browser asking for a page outside /api still gets the HTML writer's.
/// </summary>
internal sealed class AnyAcceptProblemDetailsWriter(IOptions<ProblemDetailsOptions> options, IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        // The hub's customisation (its type, title and trace id), as the default writer applies it.
        var response = context.HttpContext.Response;
        context.ProblemDetails.Status ??= response.StatusCode;
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var problem = context.ProblemDetails;
        return new ValueTask(response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, ContentType,
            context.HttpContext.RequestAborted));
    }
}
