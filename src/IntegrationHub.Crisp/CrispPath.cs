using System.Globalization;
using System.Text;

namespace IntegrationHub.Crisp;

/// <summary>Builds relative REST paths: every id is escaped as one path segment, tree paths keep their slashes.</summary>
internal sealed class CrispPath
{
    private readonly StringBuilder _path = new();
    private readonly StringBuilder _query = new();

    private CrispPath()
    {
    }

    public static CrispPath Root(string literal) => new CrispPath().Literal(literal);

    public static CrispPath Website(string websiteId) => Root("website").Segment(websiteId, nameof(websiteId));

    /// <summary>Appends fixed route text (already URL-safe, may contain '/').</summary>
    public CrispPath Literal(string literal)
    {
        Separate();
        _path.Append(literal);
        return this;
    }

    /// <summary>Appends one caller-supplied value as a single escaped segment.</summary>
    public CrispPath Segment(string value, string name)
    {
        Separate();
        _path.Append(EscapeSegment(value, name));
        return this;
    }

    public CrispPath Page(int page)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        return Literal(page.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Appends a multi-segment tree path: each segment escaped, the slashes between them kept.</summary>
    public CrispPath TreePath(string treePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(treePath);
        var segments = treePath.Trim('/').Split('/');
        foreach (var segment in segments)
        {
            Segment(segment, nameof(treePath));
        }

        return this;
    }

    public CrispPath Query(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _query.Append(_query.Length == 0 ? '?' : '&')
            .Append(name)
            .Append('=')
            .Append(Uri.EscapeDataString(value));
        return this;
    }

    public CrispPath Query(string name, bool? value) => Query(name, value switch { null => null, true => "1", false => "0" });

    public CrispPath Query(string name, int? value) => Query(name, value?.ToString(CultureInfo.InvariantCulture));

    public CrispPath Query(string name, DateTimeOffset? value) =>
        Query(name, value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    public override string ToString() => _path.ToString() + _query;

    /// <summary>The path without its query (query values may hold search text such as an email).</summary>
    public string PathOnly => _path.ToString();

    private void Separate()
    {
        if (_path.Length > 0)
        {
            _path.Append('/');
        }
    }

    private static string EscapeSegment(string value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        // "." and ".." would be collapsed by URI normalisation and reach another route.
        if (value is "." or "..")
        {
            throw new ArgumentException($"'{value}' is not a valid path segment.", name);
        }

        return Uri.EscapeDataString(value);
    }
}
