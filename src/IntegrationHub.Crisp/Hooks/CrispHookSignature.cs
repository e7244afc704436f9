using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Crisp.Hooks;

/// <summary>
/// Crisp Plugin Hook signature: lowercase hex HMAC-SHA256 over <c>"[" + timestamp + ";" + body + "]"</c>,
/// keyed with the plugin's hook signing secret. Always computed over the raw bytes as received: a body
/// re-serialised by a JSON library is a different message and must not verify.
/// </summary>
public static class CrispHookSignature
{
    private static readonly byte[] Open = "["u8.ToArray();
    private static readonly byte[] Separator = ";"u8.ToArray();
    private static readonly byte[] Close = "]"u8.ToArray();

    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> rawBody)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentNullException.ThrowIfNull(timestamp);

        var timestampBytes = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[Open.Length + timestampBytes.Length + Separator.Length + rawBody.Length + Close.Length];
        var span = message.AsSpan();
        Open.CopyTo(span);
        span = span[Open.Length..];
        timestampBytes.CopyTo(span);
        span = span[timestampBytes.Length..];
        Separator.CopyTo(span);
        span = span[Separator.Length..];
        rawBody.CopyTo(span);
        span = span[rawBody.Length..];
        Close.CopyTo(span);

        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>Constant-time check of <paramref name="signature"/> against each candidate secret (rotation overlap).</summary>
    public static bool Verify(IEnumerable<string> secrets, string? timestamp, ReadOnlySpan<byte> rawBody, string? signature)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var given = Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant());
        var matched = false;
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }

            var expected = Encoding.ASCII.GetBytes(Compute(secret, timestamp, rawBody));
            // Evaluate every secret so the time taken does not say which one matched.
            matched |= CryptographicOperations.FixedTimeEquals(expected, given);
        }

        return matched;
    }

    public static bool Verify(string secret, string? timestamp, ReadOnlySpan<byte> rawBody, string? signature) =>
        Verify([secret], timestamp, rawBody, signature);
}
