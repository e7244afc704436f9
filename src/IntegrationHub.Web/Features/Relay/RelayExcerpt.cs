namespace IntegrationHub.Web.Features.Relay;

/// <summary>What of a receiver's answer (or the error) is kept: truncated, and without anything secret a receiver or
/// an exception might echo back — the endpoint's signing secrets and the values of its URL's query string.</summary>
public static class RelayExcerpt
{
    public const string Redacted = "[redacted]";

    public static string Clean(string text, IEnumerable<string> secrets, string url, int maxLength)
    {
        foreach (var secret in Secrets(secrets, url))
        {
            text = text.Replace(secret, Redacted, StringComparison.Ordinal);
        }

        return text.Length <= maxLength ? text : text[..maxLength];
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
