using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>A wanted Knowledge Base file, from the docs input or the dashboard editor.</summary>
public sealed record HelpdeskDoc(
    string Locale,
    string ContentType,
    string Folder,
    string Slug,
    string Title,
    string? Description,
    bool Published,
    bool Hidden,
    bool Featured,
    int? Position,
    string Markdown)
{
    public string TreePath => HelpdeskPaths.FilePath(Folder, Slug);
}

/// <summary>An input file that was refused, and why.</summary>
public sealed record DocsError(string Name, string Message);

/// <summary>
/// Parses <c>&lt;locale&gt;/&lt;content type&gt;/&lt;folders&gt;/&lt;slug&gt;.md</c> files with YAML front matter
/// (<c>title</c> required; <c>description</c>; <c>published</c>, default true; <c>hidden</c>; <c>featured</c>;
/// <c>position</c>). The body after the front matter is the Markdown sent to Crisp.
/// </summary>
public static class DocsParser
{
    private static readonly HashSet<string> Keys = ["title", "description", "published", "hidden", "featured", "position"];

    public static (List<HelpdeskDoc> Docs, List<DocsError> Errors) Parse(IEnumerable<DocsFile> files)
    {
        var parsed = new List<(string Name, HelpdeskDoc Doc)>();
        var errors = new List<DocsError>();
        foreach (var file in files)
        {
            if (file.Error is not null || file.Bytes is null)
            {
                errors.Add(new DocsError(file.Name, file.Error ?? "The file could not be read."));
                continue;
            }

            var (doc, error) = ParseOne(file.Name, file.Bytes);
            if (error is not null)
            {
                errors.Add(new DocsError(file.Name, error));
            }
            else
            {
                parsed.Add((file.Name, doc!));
            }
        }

        // Two files for one path (an archive may hold a name twice; Crisp's paths may not tell case apart) leave it
        // unclear which is meant: all of them are refused, which also keeps the path out of pruning and moves.
        var docs = new List<HelpdeskDoc>();
        foreach (var group in parsed.GroupBy(p => $"{p.Doc.Locale}/{p.Doc.ContentType}/{p.Doc.TreePath}", StringComparer.OrdinalIgnoreCase))
        {
            var copies = group.ToList();
            if (copies.Count == 1)
            {
                docs.Add(copies[0].Doc);
                continue;
            }

            var message = copies.All(c => c.Name == copies[0].Name)
                ? $"The input holds this file {copies.Count} times; which copy is meant is unclear, so none was synced."
                : $"These files' paths differ only in letter case ({string.Join(", ", copies.Select(c => c.Name))}), which Crisp may read as one path: rename one. None was synced.";
            errors.AddRange(copies.Select(c => new DocsError(c.Name, message)));
        }

        return (docs, errors);
    }

    public static (HelpdeskDoc? Doc, string? Error) ParseOne(string name, byte[] bytes)
    {
        var segments = name.Split('/');
        if (!name.EndsWith(".md", StringComparison.Ordinal))
        {
            return (null, "Not a Markdown file: only <locale>/<content type>/<folders>/<slug>.md files are synced.");
        }

        if (segments.Length < 3)
        {
            return (null, "The path must be <locale>/<content type>/[<category>/[<section>/]]<slug>.md.");
        }

        var locale = segments[0];
        var contentType = segments[1];
        if (!HelpdeskPaths.IsLocale(locale))
        {
            return (null, $"'{locale}' is not a locale: use an ISO-639-1 code such as en or pt-br as the first folder.");
        }

        if (!HelpdeskPaths.IsContentType(contentType))
        {
            return (null, $"'{contentType}' is not a content type: the second folder must be articles, guides, references or news.");
        }

        var folder = string.Join('/', segments[2..^1]);
        var slug = segments[^1][..^3];
        if ((HelpdeskPaths.FolderError(folder) ?? HelpdeskPaths.SlugError(slug)) is { } pathError)
        {
            return (null, "Crisp would refuse this path: " + pathError);
        }

        string text;
        try
        {
            text = DocsInput.StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, "The file is not UTF-8 text.");
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return (null, "The file is not Markdown text (it contains NUL characters).");
        }

        text = HelpdeskPaths.NormalizeNewlines(text);
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            return (null, "Front matter is missing: start the file with a '---' line, the YAML fields (title, …) and another '---' line.");
        }

        var end = text.IndexOf("\n---\n", 3, StringComparison.Ordinal);
        var endAtEof = text.EndsWith("\n---", StringComparison.Ordinal) && end < 0;
        if (end < 0 && !endAtEof)
        {
            return (null, "Front matter is not closed: add a '---' line after the YAML fields.");
        }

        var yaml = endAtEof ? text[4..^4] : text[4..(end + 1)];
        var body = endAtEof ? "" : text[(end + 5)..];
        if (body.Length > HelpdeskPaths.MaxMarkdownLength)
        {
            return (null, $"The Markdown is longer than {HelpdeskPaths.MaxMarkdownLength} characters.");
        }

        var (fields, yamlError) = ReadFrontMatter(yaml);
        if (yamlError is not null)
        {
            return (null, "Invalid front matter: " + yamlError);
        }

        string? title = null, description = null;
        bool published = true, hidden = false, featured = false;
        int? position = null;
        foreach (var (key, value) in fields!)
        {
            switch (key)
            {
                case "title":
                    title = value.Trim();
                    break;
                case "description":
                    description = value.Trim();
                    break;
                case "published" or "hidden" or "featured":
                    if (!bool.TryParse(value, out var flag))
                    {
                        return (null, $"Invalid front matter: '{key}' must be true or false, not '{value}'.");
                    }

                    (published, hidden, featured) = key switch
                    {
                        "published" => (flag, hidden, featured),
                        "hidden" => (published, flag, featured),
                        _ => (published, hidden, flag),
                    };
                    break;
                case "position":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 10_000)
                    {
                        return (null, $"Invalid front matter: 'position' must be a whole number from 0 to 10000, not '{value}'.");
                    }

                    position = p;
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(title))
        {
            return (null, "Invalid front matter: 'title' is required.");
        }

        if (title.Length > 300 || title.Contains('\n', StringComparison.Ordinal))
        {
            return (null, "Invalid front matter: 'title' must be one line of at most 300 characters.");
        }

        if (HelpdeskPaths.HasControlCharacters(title, allowNewlines: false))
        {
            return (null, "Invalid front matter: 'title' must not contain control characters.");
        }

        if (description is { Length: > 1000 })
        {
            return (null, "Invalid front matter: 'description' must be at most 1000 characters.");
        }

        if (description is not null && HelpdeskPaths.HasControlCharacters(description, allowNewlines: true))
        {
            return (null, "Invalid front matter: 'description' must not contain control characters other than line breaks.");
        }

        var doc = new HelpdeskDoc(locale, contentType, folder, slug, title, string.IsNullOrEmpty(description) ? null : description, published, hidden, featured, position, body);
        return KbWrite.ContentError(locale, contentType, doc.TreePath, body) is { } tooLong ? (null, tooLong) : (doc, null);
    }

    /// <summary>A flat YAML mapping of the known keys to scalar values; anything else is an error with a reason.</summary>
    private static (Dictionary<string, string>? Fields, string? Error) ReadFrontMatter(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            return (null, $"YAML error at line {ex.Start.Line}: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The YAML library throws more than YamlException on some malformed input (an unclosed flow sequence followed
            // by a mapping line throws InvalidOperationException): whatever it throws, that is one bad file, not a failed sync.
            return (null, "YAML error: " + ex.Message);
        }

        if (stream.Documents.Count == 0)
        {
            return (null, "'title' is required.");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            return (null, "it must be a list of 'key: value' lines.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!Keys.Contains(key))
            {
                return (null, $"unknown field '{key}' (allowed: {string.Join(", ", Keys)}).");
            }

            if (valueNode is not YamlScalarNode scalar)
            {
                return (null, $"'{key}' must be a single value, not a list or a mapping.");
            }

            // YAML's null ("key:", "~", "null") is no value: a title of "~" would otherwise be published as "~".
            fields[key] = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "~" or "null" or "Null" or "NULL" ? "" : scalar.Value ?? "";
        }

        return (fields, null);
    }
}
