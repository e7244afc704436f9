using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IntegrationHub.Web.Infrastructure.Errors;

/// <summary>
/// The hub's error answers (an unknown page, a refused form token, an unhandled error) as a page for a browser: a
/// person following a stale link sees words and a way back, not a JSON document. Only for a request outside
/// <c>/api</c> whose Accept header names <c>text/html</c> and no JSON type, so API clients, Crisp's hooks and
/// anyone asking for JSON keep the problem document. Registered before the default writer, which then writes
/// everything else.
/// </summary>
internal sealed class HtmlProblemDetailsWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    private static readonly MediaTypeHeaderValue Html = new("text/html");

    public bool CanWrite(ProblemDetailsContext context)
    {
        var request = context.HttpContext.Request;
        if (request.Path.StartsWithSegments("/api"))
        {
            return false;
        }

        var accept = request.GetTypedHeaders().Accept;
        return accept.Any(a => a.MediaType.Equals(Html.MediaType, StringComparison.OrdinalIgnoreCase) && a.Quality != 0)
            && !accept.Any(a => a.MediaType.Value is { } type && !a.MatchesAllTypes && !a.MatchesAllSubTypes
                && (type.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));
    }

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        // The hub's customisation (its type, title and trace id), as the default writer applies it.
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var response = context.HttpContext.Response;
        var status = context.ProblemDetails.Status ?? response.StatusCode;
        var title = context.ProblemDetails.Title ?? ProblemDetailsRegistration.Describe(status).Title ?? "Error";
        var traceId = context.ProblemDetails.Extensions.TryGetValue("trace_id", out var id) ? id?.ToString() : null;
        var html = HtmlEncoder.Default;
        var page = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{html.Encode(title)} · IntegrationHub</title>
                <link rel="stylesheet" href="/css/hub.css" />
            </head>
            <body>
                <header class="topbar"><a class="brand" href="/">IntegrationHub</a></header>
                <main class="container">
                    <h1>{html.Encode(title)}</h1>
                    <p>{html.Encode(Explain(status, context.ProblemDetails.Detail))}</p>
                    <p><a class="button" href="/">Back to your websites</a></p>
                    {(traceId is null ? string.Empty : $"<p class=\"muted\">Error {status.ToString(CultureInfo.InvariantCulture)}, reference <code>{html.Encode(traceId)}</code></p>")}
                </main>
            </body>
            </html>
            """;
        response.StatusCode = status;
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(page, context.HttpContext.RequestAborted);
    }

    // The problem's own detail is the hub's wording (never an exception message); without one, a sentence per status.
    private static string Explain(int status, string? detail) => status switch
    {
        _ when !string.IsNullOrWhiteSpace(detail) && status != StatusCodes.Status400BadRequest => detail,
        StatusCodes.Status400BadRequest => "The page could not take this request. If you sent a form, it may have been open too long: go back, reload the page and send it again.",
        StatusCodes.Status403Forbidden => "Your account may not open this page.",
        StatusCodes.Status404NotFound => "There is no such page, or your account has no access to it. Check the address, or start again from your websites.",
        StatusCodes.Status405MethodNotAllowed => "This address does not take this kind of request.",
        >= 500 => "Something went wrong on the hub's side, and nothing you did caused it. Try again in a moment; if it keeps happening, give the hub's operator the reference below.",
        _ => "The hub could not answer this request.",
    };
}
