namespace IntegrationHub.Web.Features.Relay;

/// <summary>Event filters: exact names or patterns where <c>*</c> matches any run of characters (<c>message:*</c>, <c>*</c>).</summary>
public static class RelayFilter
{
    public static bool Matches(IEnumerable<string> patterns, string eventName) => patterns.Any(p => Matches(p, eventName));

    public static bool Matches(string pattern, string value)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(pattern, value, StringComparison.Ordinal);
        }

        if (!value.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var position = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = value.IndexOf(parts[i], position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        var last = parts[^1];
        return value.Length - position >= last.Length && value.EndsWith(last, StringComparison.Ordinal);
    }
}
