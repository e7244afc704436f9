using IntegrationHub.Web.Features.Delivery;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>One Knowledge Base write, as it will be queued (kind + snake_case payload).</summary>
public sealed record KbWrite(string Kind, object Payload)
{
    public static KbWrite Create(string locale, string contentType, string path) =>
        new(CrispCallKinds.HelpdeskPathCreate, new { locale, content_type = contentType, path });

    public static KbWrite Content(string locale, string contentType, string path, string content) =>
        new(CrispCallKinds.HelpdeskContentPut, new { locale, content_type = contentType, path, content });

    public static KbWrite Metadata(string locale, string contentType, string path, HelpdeskDoc doc) =>
        new(CrispCallKinds.HelpdeskMetadataPatch, new
        {
            locale,
            content_type = contentType,
            path,
            metadata = new
            {
                title = doc.Title,
                description = doc.Description ?? "",
                state = new { published = doc.Published, hidden = doc.Hidden, featured = doc.Featured },
            },
        });

    public static KbWrite State(string locale, string contentType, string path, bool published) =>
        new(CrispCallKinds.HelpdeskMetadataPatch, new { locale, content_type = contentType, path, metadata = new { state = new { published } } });

    public static KbWrite Move(string locale, string contentType, string path, string? to, int? position) =>
        new(CrispCallKinds.HelpdeskPathMove, new { locale, content_type = contentType, path, to, position });

    public static KbWrite Delete(string locale, string contentType, string path) =>
        new(CrispCallKinds.HelpdeskPathDelete, new { locale, content_type = contentType, path });
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
