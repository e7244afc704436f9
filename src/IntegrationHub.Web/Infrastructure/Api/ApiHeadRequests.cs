using Microsoft.AspNetCore.Http.Features;

namespace IntegrationHub.Web.Infrastructure.Api;

/// <summary>
/// HEAD on the API is answered as GET without its body (RFC 9110 §9.3.2: a server that answers GET should answer
/// HEAD with the same headers), so a monitor or client probing a resource gets 200/404/401 rather than 405. Done
/// before routing instead of mapping every GET route twice, which would give the OpenAPI document two operations
/// per route.
/// </summary>
public static class ApiHeadRequests
{
    public static IApplicationBuilder UseApiHeadAsGet(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        var bodyFeature = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, bodyFeature));
        context.Request.Method = HttpMethods.Get;
        try
        {
            await next(context);
        }
        finally
        {
            context.Request.Method = HttpMethods.Head;
            context.Features.Set(bodyFeature);
        }
    });
}
