using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using IntegrationHub.CrispSimulator.Plugin;

namespace IntegrationHub.CrispSimulator.Infrastructure;

/// <summary>What a route handler gets: the request, its buffered body, the authenticated tier and website.</summary>
public sealed class CrispCall
{
    private readonly ReadOnlyMemory<byte> _body;
    private bool _bodyParsed;
    private JsonNode? _json;

    internal CrispCall(HttpContext http, CrispSimulatorState state, string? tier, SimWebsite? website, ReadOnlyMemory<byte> body)
    {
        Http = http;
        State = state;
        Tier = tier;
        WebsiteOrNull = website;
        _body = body;
    }

    public HttpContext Http { get; }

    public CrispSimulatorState State { get; }

    public SimulatorOptions Options => State.Options;

    /// <summary><c>plugin</c> or <c>website</c> on the REST API; <c>admin</c> on the admin API.</summary>
    public string? Tier { get; }

    public SimWebsite? WebsiteOrNull { get; }

    /// <summary>The website of a <c>/website/{website_id}/…</c> route, already checked for access.</summary>
    public SimWebsite Website => WebsiteOrNull ?? throw CrispApiException.NotFound("website_not_found");

    public string Route(string name)
    {
        var value = Http.GetRouteValue(name) as string ?? throw CrispApiException.InvalidData($"Missing route value '{name}'.");
        return value.Contains('%', StringComparison.Ordinal) ? Unescaped(value) : value;
    }

    /// <summary>
    /// A route value unescaped once, like Crisp does. Kestrel decodes the path except "%2F" (an escaped slash must not
    /// split a segment), so an email with a slash given as <c>{people_id}</c> ("a%2Fb%40x.io") would read "a%2Fb@x.io" and
    /// never match its profile. The raw request target holds the segment as sent; a literal "%2F" ("%252F") stays.
    /// </summary>
    private string Unescaped(string routeValue)
    {
        var raw = Http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var segments = (query < 0 ? raw : raw[..query]).Split('/');
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            var segment = Uri.UnescapeDataString(segments[i]);
            if (SlashesDecoded(segment) == SlashesDecoded(routeValue))
            {
                return segment;
            }
        }

        return SlashesDecoded(routeValue);
    }

    private static string SlashesDecoded(string text) => text.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    public string? Query(string name)
    {
        var values = Http.Request.Query[name];
        return values.Count == 0 ? null : values[0];
    }

    /// <summary>Crisp boolean query flag: <c>1</c>/<c>true</c> set, <c>0</c>/<c>false</c>/absent unset.</summary>
    public bool QueryFlag(string name)
    {
        var raw = Query(name);
        return raw switch
        {
            null or "" or "0" or "false" => false,
            "1" or "true" => true,
            _ => throw CrispApiException.InvalidData($"'{name}' must be 1 or 0."),
        };
    }

    public JsonNode? Body
    {
        get
        {
            if (!_bodyParsed)
            {
                _json = JsonBody.Parse(_body);
                _bodyParsed = true;
            }

            return _json;
        }
    }

    public JsonObject BodyObject => JsonBody.RequireObject(Body);

    public int Page
    {
        get
        {
            var raw = Route("page");
            if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var page) || page < 1)
            {
                throw CrispApiException.InvalidData("Page must be an integer starting at 1.");
            }

            return page;
        }
    }

    public int PerPage(bool fromQuery)
    {
        var raw = fromQuery ? Query("per_page") : null;
        if (raw is null)
        {
            return Options.DefaultPerPage;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var perPage)
            || perPage < Options.MinPerPage || perPage > Options.MaxPerPage)
        {
            throw CrispApiException.InvalidData($"per_page must be between {Options.MinPerPage} and {Options.MaxPerPage}.");
        }

        return perPage;
    }

    /// <summary>The page of <paramref name="items"/> named by the <c>{page}</c> route value; empty after the last page.</summary>
    public List<T> Paginate<T>(IEnumerable<T> items, bool perPageFromQuery = false)
    {
        var size = PerPage(perPageFromQuery);
        var offset = (long)(Page - 1) * size;
        return offset > int.MaxValue ? [] : [.. items.Skip((int)offset).Take(size)];
    }

    public DateTimeOffset? QueryDate(string name)
    {
        var raw = Query(name);
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        throw CrispApiException.InvalidData($"'{name}' must be an ISO-8601 date.");
    }
}
