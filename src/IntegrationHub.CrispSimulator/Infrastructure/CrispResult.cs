using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.CrispSimulator.Infrastructure;

/// <summary>
/// Every answer of the simulator: <c>{"error":bool,"reason":"…","data":…}</c>. HEAD requests get the status only.
/// Status/reason conventions: get 200 <c>resolved</c>, list 206 <c>listed</c>, create 201 <c>added</c>,
/// update 200 <c>updated</c>, delete 200 <c>deleted</c>, message send / campaign dispatch 202 <c>dispatched</c>.
/// </summary>
public sealed class CrispResult : IResult
{
    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);

    private CrispResult(int statusCode, bool error, string reason, object? data)
    {
        StatusCode = statusCode;
        Error = error;
        Reason = reason;
        Data = data ?? new JsonObject();
    }

    public int StatusCode { get; }

    public bool Error { get; }

    public string Reason { get; }

    public object Data { get; }

    public IReadOnlyDictionary<string, string> Headers => new ReadOnlyDictionary<string, string>(_headers);

    public static CrispResult Resolved(object? data) => new(200, false, "resolved", data);

    public static CrispResult Listed<T>(IEnumerable<T> items) => new(206, false, "listed", items.ToList());

    public static CrispResult Added(object? data = null) => new(201, false, "added", data);

    public static CrispResult Updated(object? data = null) => new(200, false, "updated", data);

    public static CrispResult Deleted() => new(200, false, "deleted", null);

    public static CrispResult Dispatched(object? data) => new(202, false, "dispatched", data);

    public static CrispResult Success(int statusCode, string reason, object? data) => new(statusCode, false, reason, data);

    public static CrispResult Fail(int statusCode, string reason, string? message = null) =>
        new(statusCode, true, reason, message is null ? new JsonObject() : new JsonObject { ["message"] = message });

    public static CrispResult From(CrispApiException exception) => Fail(exception.StatusCode, exception.Reason, exception.Detail);

    public CrispResult WithHeader(string name, string value)
    {
        _headers[name] = value;
        return this;
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in _headers)
        {
            response.Headers[name] = value;
        }

        if (HttpMethods.IsHead(httpContext.Request.Method))
        {
            response.ContentLength = 0;
            return;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Envelope(Error, Reason, Data), SimJson.Options);
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
    }

    private sealed record Envelope(bool Error, string Reason, object Data);
}
