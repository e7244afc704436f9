using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using IntegrationHub.Crisp;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>
/// The shapes Crisp's Knowledge Base tree accepts, checked before anything is queued so a refused path is a clear
/// error here, not a dead letter later: slug segments of letters, digits, '-' and '_' (starting with a letter or
/// digit), files ending in <c>.md</c>, locales like <c>en</c> or <c>pt-br</c>, and the four content types.
/// </summary>
public static partial class HelpdeskPaths
{
    public const int MaxSegmentLength = 100;
    public const int MaxDepth = 3;
    public const int MaxPathLength = (MaxSegmentLength + 1) * (MaxDepth + 1);
    public const int MaxMarkdownLength = 500_000;

    public static readonly IReadOnlyList<string> ContentTypes = ["articles", "guides", "references", "news"];

    public static bool IsContentType(string? value) => value is not null && ContentTypes.Contains(value, StringComparer.Ordinal);

    public static CrispHelpdeskContentType ToCrisp(string contentType) => contentType switch
    {
        "articles" => CrispHelpdeskContentType.Articles,
        "guides" => CrispHelpdeskContentType.Guides,
        "references" => CrispHelpdeskContentType.References,
        "news" => CrispHelpdeskContentType.News,
        _ => throw new ArgumentOutOfRangeException(nameof(contentType), contentType, "Not a helpdesk content type."),
    };

    public static bool IsLocale(string? value) => value is not null && LocalePattern().IsMatch(value);

    public static bool IsSlug(string? value) => value is { Length: > 0 and <= MaxSegmentLength } && SlugPattern().IsMatch(value);

    /// <summary>Why Crisp would refuse this folder path (empty = root), or null when it is fine.</summary>
    public static string? FolderError(string folderPath)
    {
        if (folderPath.Length == 0)
        {
            return null;
        }

        var segments = folderPath.Split('/');
        if (segments.Length > MaxDepth - 1)
        {
            return $"Folders nest at most {MaxDepth - 1} deep (category/section).";
        }

        return segments.FirstOrDefault(s => !IsSlug(s)) is { } bad
            ? $"Folder name '{bad}' is not allowed: use letters, digits, '-' and '_', starting with a letter or digit (at most {MaxSegmentLength} characters)."
            : null;
    }

    public static string? SlugError(string slug) =>
        IsSlug(slug) ? null : $"File name '{slug}' is not allowed: use letters, digits, '-' and '_', starting with a letter or digit (at most {MaxSegmentLength} characters).";

    public static string FilePath(string folderPath, string slug) => folderPath.Length == 0 ? slug + ".md" : $"{folderPath}/{slug}.md";

    public static (string Folder, string Slug) SplitFilePath(string treePath)
    {
        var withoutExtension = treePath.EndsWith(".md", StringComparison.Ordinal) ? treePath[..^3] : treePath;
        var slash = withoutExtension.LastIndexOf('/');
        return slash < 0 ? ("", withoutExtension) : (withoutExtension[..slash], withoutExtension[(slash + 1)..]);
    }

    /// <summary>Every folder on the way to <paramref name="folderPath"/>, outermost first.</summary>
    public static IEnumerable<string> FolderChain(string folderPath)
    {
        if (folderPath.Length == 0)
        {
            yield break;
        }

        var segments = folderPath.Split('/');
        for (var i = 1; i <= segments.Length; i++)
        {
            yield return string.Join('/', segments[..i]);
        }
    }

    /// <summary>
    /// SHA-256 of the Markdown as it reads: line endings normalised (CRLF vs LF) and trailing white space and line
    /// breaks dropped, which render nothing. Whether Crisp keeps a body's final line break is not documented; a file
    /// ending in one (as editors save them) compared byte for byte with a copy without it was rewritten at every sync and
    /// shown as someone else's edit in the dashboard.
    /// </summary>
    public static string ContentHash(string markdown) => Sha256(NormalizeNewlines(markdown).TrimEnd());

    /// <summary>Whether <paramref name="storedHash"/> (kept in helpdesk_articles) is this Markdown's, including a hash
    /// stored before trailing line breaks were ignored.</summary>
    public static bool IsHashOf(string? storedHash, string markdown) =>
        storedHash is not null && (storedHash == ContentHash(markdown) || storedHash == Sha256(NormalizeNewlines(markdown)));

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Control characters (a tab and, where allowed, a line break aside) in a title or description sent to Crisp.</summary>
    public static bool HasControlCharacters(string text, bool allowNewlines) =>
        text.Any(c => char.IsControl(c) && c != '\t' && !(allowNewlines && c == '\n'));

    public static string NormalizeNewlines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    /// <summary>Dashboard ordering key: all writes to one tree run in order (a folder before its files, a move before the next write).</summary>
    public static string OrderingKey(string locale, string contentType) => $"helpdesk:{locale}/{contentType}";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z]{2,4})?$")]
    private static partial Regex LocalePattern();
}
