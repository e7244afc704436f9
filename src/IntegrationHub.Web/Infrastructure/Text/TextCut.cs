using System.Globalization;
using System.Text;

namespace IntegrationHub.Web.Infrastructure.Text;

/// <summary>
/// Shortens text the hub sends or stores without breaking it. A cut at a char count can split an emoji's surrogate
/// pair, which leaves a lone surrogate: invalid UTF-16, sent to Crisp as an escape it may refuse or store as garbage,
/// and refused outright by PostgreSQL (its UTF-8 encoder throws), so the row holding it cannot be saved. A cut inside
/// a combining sequence (an accent, a skin tone, a flag, a family emoji) leaves a different character behind.
/// </summary>
public static class TextCut
{
    /// <summary>
    /// At most <paramref name="maxLength"/> UTF-16 units (the unit Crisp's limits count), ending on a text-element
    /// (grapheme cluster) boundary. A first element longer than the whole limit (thousands of stacked combining
    /// marks) is cut between code points rather than dropped entirely.
    /// </summary>
    public static string Truncate(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (text.Length <= maxLength)
        {
            return text;
        }

        var end = 0;
        while (end < maxLength)
        {
            var next = end + StringInfo.GetNextTextElementLength(text, end);
            if (next > maxLength)
            {
                break;
            }

            end = next;
        }

        if (end == 0)
        {
            end = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        }

        return text[..end];
    }

    /// <summary>The text without unpaired surrogates (what a char-count cut elsewhere, such as a template filter, leaves).</summary>
    public static string WithoutLoneSurrogates(string text)
    {
        if (Ascii.IsValid(text) || !HasLoneSurrogate(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsPairAt(text, i))
            {
                builder.Append(text, i++, 2);
            }
            else if (!char.IsSurrogate(text[i]))
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsPairAt(text, i))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPairAt(string text, int i) => char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
}
