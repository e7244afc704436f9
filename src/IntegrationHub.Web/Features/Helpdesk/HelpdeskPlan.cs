using System.Text.Encodings.Web;
using System.Text.Json;
using IntegrationHub.Web.Features.Delivery;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>One Knowledge Base write, as it will be queued (kind + its snake_case JSON payload, as stored).</summary>
public sealed record KbWrite(string Kind, string Payload)
{
    // The payload is stored as the outbox's text column, which counts characters: the default encoder would write every
    // non-ASCII character (and <, >, &, ') of an article as a six-character escape, so a long article in Japanese or
    // full of HTML would overflow the column.
    private static readonly JsonSerializerOptions StoredJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static KbWrite Create(string locale, string contentType, string path) =>
        Of(CrispCallKinds.HelpdeskPathCreate, new { locale, content_type = contentType, path });

    public static KbWrite Content(string locale, string contentType, string path, string content) =>
        Of(CrispCallKinds.HelpdeskContentPut, new { locale, content_type = contentType, path, content });

    /// <summary>Why <paramref name="markdown"/> cannot be queued as the file's content (its call would not fit the
    /// outbox), or null.</summary>
    public static string? ContentError(string locale, string contentType, string path, string markdown) =>
        Content(locale, contentType, path, markdown).Payload.Length is var length and > CrispCall.PayloadMaxLength
            ? $"The Markdown is too long to queue: {length} characters once stored as a Crisp call, at most {CrispCall.PayloadMaxLength} "
                + "(line breaks, quotes and backslashes count 2): split the article."
            : null;

    /// <summary>The file's title, description and state. <paramref name="afterContent"/>: the item also writes the content
    /// (just before, in the same ordering key); the call then carries that content's hash and sends nothing unless Crisp
    /// holds that content (see HelpdeskCallExecutor): a content write that died must not leave its file published with
    /// the old or an empty body.</summary>
    public static KbWrite Metadata(string locale, string contentType, string path, HelpdeskDoc doc, bool afterContent = false)
    {
        var metadata = new
        {
            title = doc.Title,
            description = doc.Description ?? "",
            state = new { published = doc.Published, hidden = doc.Hidden, featured = doc.Featured },
        };
        return afterContent
            ? Of(CrispCallKinds.HelpdeskMetadataPatch, new { locale, content_type = contentType, path, metadata, content_hash = HelpdeskPaths.ContentHash(doc.Markdown) })
            : Of(CrispCallKinds.HelpdeskMetadataPatch, new { locale, content_type = contentType, path, metadata });
    }

    public static KbWrite State(string locale, string contentType, string path, bool published) =>
        Of(CrispCallKinds.HelpdeskMetadataPatch, new { locale, content_type = contentType, path, metadata = new { state = new { published } } });

    public static KbWrite Move(string locale, string contentType, string path, string? to, int? position) =>
        Of(CrispCallKinds.HelpdeskPathMove, new { locale, content_type = contentType, path, to, position });

    public static KbWrite Delete(string locale, string contentType, string path) =>
        Of(CrispCallKinds.HelpdeskPathDelete, new { locale, content_type = contentType, path });

    private static KbWrite Of(string kind, object payload) => new(kind, JsonSerializer.Serialize(payload, StoredJson));
}

/// <summary>What a sync will do to one path: an action from <see cref="HelpdeskPlanAction"/>, why, and its writes.</summary>
public sealed class PlanItem
{
    public required string Locale { get; init; }

    public required string ContentType { get; init; }

    public required string Path { get; init; }

    /// <summary>A refused input file: <see cref="Path"/> is the file's name in the input, locale and content type
    /// included, not a path inside the tree.</summary>
    public bool PathIsInputName { get; init; }

    /// <summary>Where the item is, written as the input lays files out: <c>&lt;locale&gt;/&lt;content type&gt;/&lt;path&gt;</c>.</summary>
    public string InputPath => PathIsInputName ? Path : $"{Locale}/{ContentType}/{Path}";

    public required string Action { get; set; }

    public string? Detail { get; set; }

    public List<KbWrite> Writes { get; } = [];
}

public sealed class HelpdeskPlan
{
    public List<PlanItem> Items { get; } = [];

    public int WriteCount => Items.Sum(i => i.Writes.Count);

    public bool HasErrors => Items.Any(i => i.Action == HelpdeskPlanAction.Error);
}
