using System.Diagnostics;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Web.Infrastructure.Errors;

public static class ProblemDetailsRegistration
{
    public const string ProblemTypeBase = "https://integrationhub.dev/problems/";

    public static WebApplicationBuilder AddHubErrors(this WebApplicationBuilder builder)
    {
        // Before AddProblemDetails: the first writer that can write an answer writes it.
        builder.Services.AddSingleton<IProblemDetailsWriter, HtmlProblemDetailsWriter>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Extensions["trace_id"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            if (problem.Type is null or "" || problem.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
            {
                // The framework's own answers (an unknown route, a wrong method) get the hub's type and its title for
                // that type, so a client sees one title per type whoever wrote the answer.
                var (slug, title) = Describe(problem.Status ?? 500);
                problem.Type = ProblemTypeBase + slug;
                problem.Title = title ?? problem.Title;
            }
        });
        // After AddProblemDetails: written only when neither the page nor the default writer would (an Accept
        // header without JSON), so no error answer turns into a 500 for want of a writer.
        builder.Services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemDetailsWriter>();
        builder.Services.AddExceptionHandler<KnownExceptionHandler>();
        return builder;
    }

    /// <summary>The hub's type slug and title per status, for answers written without a type of their own.</summary>
    internal static (string Slug, string? Title) Describe(int status) => status switch
    {
        400 => ("bad-request", "Bad request"),
        401 => ("unauthorized", "Unauthorized"),
        403 => ("forbidden", "Forbidden"),
        404 => ("not-found", "Not found"),
        405 => ("method-not-allowed", "Method not allowed"),
        409 => ("conflict", "Conflict"),
        413 => ("payload-too-large", "Payload too large"),
        415 => ("unsupported-media-type", "Unsupported media type"),
        422 => ("validation-failed", "The request has invalid fields"),
        429 => ("too-many-requests", "Too many requests"),
        503 => ("unavailable", "Temporarily unavailable"),
        _ => (status >= 500 ? "server-error" : "client-error", null),
    };
}

/// <summary>
/// Maps exceptions that mean "the request was wrong" to 4xx ProblemDetails, and an unreachable database to 503 with
/// Retry-After (API, hook intake and dashboard alike: Crisp retries a hook that did not get a 2xx). Anything else
/// falls through to the default 500 handler, with no exception detail in the response.
/// </summary>
internal sealed class KnownExceptionHandler(IProblemDetailsService problems, ILogger<KnownExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            TenantScopeViolationException => (StatusCodes.Status404NotFound, "Not found", (string?)null),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => (499, "Client closed request", null),
            _ when DatabaseUnavailable.Is(exception) => (StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable",
                "The database cannot be reached right now; nothing was stored. Retry after the delay given in Retry-After."),
            _ => (0, string.Empty, null),
        };

        if (status == 0)
        {
            return false;
        }

        if (exception is TenantScopeViolationException)
        {
            logger.LogWarning("Tenant scope violation on {Path}: {Message}", httpContext.Request.Path, exception.Message);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // A warning, not an error: the outage is the news, not each request it refused.
            logger.LogWarning("Database unavailable on {Method} {Path}: {Message}", httpContext.Request.Method, httpContext.Request.Path,
                exception.GetBaseException().Message);
            httpContext.Response.Headers.RetryAfter = ((int)DatabaseUnavailable.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = status;
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
        if (!written && status == StatusCodes.Status503ServiceUnavailable)
        {
            // A client that accepts no JSON (a browser page) still gets the 503, never the generic 500.
            httpContext.Response.ContentType = "text/plain; charset=utf-8";
            await httpContext.Response.WriteAsync(detail!, cancellationToken);
            return true;
        }

        return written;
    }
}
