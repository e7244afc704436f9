using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace IntegrationHub.Crisp;

/// <summary>Knowledge Base content types; the lowercase name is the URL segment.</summary>
public enum CrispHelpdeskContentType
{
    Articles,
    Guides,
    References,
    News,
}

/// <summary>An entry of <c>GET /helpdesk/locales/{page}</c>.</summary>
public sealed record CrispHelpdeskLocale
{
    public string? LocaleId { get; init; }

    public required string Locale { get; init; }

    public string? Url { get; init; }

    /// <summary><c>{articles|guides|references|news: {entries, groups}}</c>.</summary>
    public JsonObject? Statistics { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record CrispHelpdeskState
{
    public bool? Published { get; init; }

    public bool? Hidden { get; init; }

    public bool? Featured { get; init; }
}

/// <summary>A node of the Knowledge Base tree: a folder (category/section) or a file (<c>*.md</c>).</summary>
public sealed record CrispHelpdeskTreeEntry
{
    public string? Type { get; init; }

    public required string Slug { get; init; }

    public string? Title { get; init; }

    public CrispHelpdeskState? State { get; init; }

    public IReadOnlyList<CrispHelpdeskTreeEntry>? Children { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>Tree node metadata (GET) and the body of a metadata update (PATCH: only the fields set are sent).</summary>
public sealed record CrispHelpdeskMetadata
{
    public string? Format { get; init; }

    public string? Title { get; init; }

    public string? Description { get; init; }

    public CrispHelpdeskState? State { get; init; }

    public CrispHelpdeskAuthor? Author { get; init; }

    public string? Color { get; init; }

    public string? Image { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record CrispHelpdeskAuthor(string? UserId);

/// <summary>Body of <c>PATCH tree/path/…</c>: move/rename (<see cref="Path"/>) or reorder (<see cref="Position"/>).</summary>
public sealed record CrispHelpdeskPathChange
{
    public required string Action { get; init; }

    public CrispHelpdeskPathTarget? Path { get; init; }

    public int? Position { get; init; }
}

public sealed record CrispHelpdeskPathTarget(string To);

/// <summary><c>GET tree/page/…</c>: the public page of a node.</summary>
public sealed record CrispHelpdeskPage(string? Title, string? Url);

/// <summary>An entry of <c>page/list</c> and <c>page/entity</c>: <c>{entity_id, title, tree_path, url}</c>.</summary>
public sealed record CrispHelpdeskPageEntry
{
    public string? EntityId { get; init; }

    public string? Title { get; init; }

    public string? TreePath { get; init; }

    public string? Url { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>A Knowledge Base history change: <c>{change_id, message, author, edits, created_at, files}</c>.</summary>
public sealed record CrispHelpdeskChange
{
    public required string ChangeId { get; init; }

    public string? Message { get; init; }

    public JsonObject? Author { get; init; }

    public JsonObject? Edits { get; init; }

    public long? CreatedAt { get; init; }

    /// <summary><c>[{change, path, metadata, content}]</c> (shapes of the entries unverified).</summary>
    public JsonArray? Files { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}

internal sealed record CrispChangeAction(string Action);

internal sealed record CrispLocaleBody(string Locale);

internal sealed record CrispContentBody(string Content);
