namespace IntegrationHub.Web.Features.Relay;

/// <summary>What of a receiver's answer (or the error) is kept: truncated, and without anything secret a receiver or
/// an exception might echo back — the endpoint's signing secrets and the values of its URL's query string — and
/// storable by every database: a receiver's body may be binary (a gzipped answer, say), and PostgreSQL refuses NUL
/// in text and a lone surrogate in UTF-8, which made the attempt's outcome unsavable and the row be sent again and
/// again after each lease.</summary>
public static class RelayExcerpt
{
    public const string Redacted = "[redacted]";

    public static string Clean(string text, IEnumerable<string> secrets, string url, int maxLength)
    {
        foreach (var secret in Secrets(secrets, url))
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        return Storable(text, maxLength);
    }

    private static string Storable(string text, int maxLength)
    {
        var length = text.Length <= maxLength ? text.Length : char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return string.Create(length, text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsControl(c) && c is not ('\t' or '\n' or '\r') ? '\uFFFD' : c;
            }
        });
    }

    private static IEnumerable<string> Secrets(IEnumerable<string> secrets, string url)
    {
        foreach (var secret in secrets)
        {
            yield return secret;
            if (secret.StartsWith(RelaySignature.SecretPrefix, StringComparison.Ordinal))
            {
                yield return secret[RelaySignature.SecretPrefix.Length..]; // the key without its prefix
            }
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Query.Length > 1)
        {
            foreach (var pair in uri.Query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var value = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
                if (value.Length >= 4)
                {
                    yield return value;
                    yield return Uri.UnescapeDataString(value);
                }
            }
        }
    }
}
