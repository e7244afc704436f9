using IntegrationHub.Web.Infrastructure.Errors;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Web.Infrastructure.Api;

/// <summary>
/// The API's error answers: RFC 9457 problem details with a stable <c>type</c> (a URL under
/// https://integrationhub.dev/problems/) and title, written through the hub's one ProblemDetails service so that
/// every error carries the request's <c>trace_id</c>.
/// </summary>
public static class ApiProblems
{
    public const string InvalidJson = "invalid-json";
    public const string ValidationFailed = "validation-failed";
    public const string PayloadTooLarge = "payload-too-large";
    public const string UnsupportedMediaType = "unsupported-media-type";
    public const string IdempotencyConflict = "idempotency-key-conflict";
    public const string IdempotencyKeyInvalid = "idempotency-key-invalid";
    public const string MessageIdConflict = "message-id-conflict";
    public const string NotFound = "not-found";
    public const string TooManyRequests = "too-many-requests";
    public const string UnavailableType = "unavailable";

    public static ProblemResult Problem(int status, string type, string title, string? detail = null,
        IDictionary<string, string[]>? errors = null, TimeSpan? retryAfter = null) =>
        new(status, type, title, detail, errors, retryAfter);

    public static ProblemResult Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        new(StatusCodes.Status422UnprocessableEntity, ValidationFailed, "The request has invalid fields",
            detail ?? "See 'errors': each key is a JSON path into the request, each value what is wrong there.", errors, null);

    public static ProblemResult NotFoundProblem(string detail) =>
        new(StatusCodes.Status404NotFound, NotFound, "Not found", detail, null, null);

    public static ProblemResult Unavailable(string detail) =>
        new(StatusCodes.Status503ServiceUnavailable, UnavailableType, "Temporarily unavailable", detail, null, TimeSpan.FromSeconds(1));

    /// <summary>A problem-details answer (also used by the rate limiter and the auth handler's shape).</summary>
    public sealed class ProblemResult(int status, string type, string title, string? detail,
        IDictionary<string, string[]>? errors, TimeSpan? retryAfter) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public string Type => ProblemDetailsRegistration.ProblemTypeBase + type;

        public IDictionary<string, string[]>? Errors => errors;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            if (retryAfter is { } wait)
            {
                httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            ProblemDetails problem = errors is null
                ? new ProblemDetails()
                : new HttpValidationProblemDetails(errors);
            problem.Status = status;
            problem.Type = Type;
            problem.Title = title;
            problem.Detail = detail;
            var problems = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
        }
    }
}
