namespace IntegrationHub.CrispSimulator.Helpdesk;

/// <summary>A folder (category / section) or a Markdown file (article) of a knowledge-base tree.</summary>
public sealed class KbNode
{
    /// <summary>Path segment: a folder slug, or a file name ending in <c>.md</c>.</summary>
    public required string Slug { get; set; }

    public required bool IsFolder { get; init; }

    /// <summary>Stable id; reported as <c>entity_id</c> by page routes and as legacy <c>article_id</c>/<c>category_id</c>.</summary>
    public required string EntityId { get; init; }

    public KbNode? Parent { get; set; }

    public List<KbNode> Children { get; } = [];

    public KbMetadata Metadata { get; } = new();

    public string Content { get; set; } = "";

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; set; }

    /// <summary>Tree path relative to the locale and content type, e.g. <c>orders/delivery/shipping-policy.md</c>.</summary>
    public string Path
    {
        get
        {
            var segments = new Stack<string>();
            for (var node = this; node?.Parent is not null; node = node.Parent)
            {
                segments.Push(node.Slug);
            }

            return string.Join('/', segments);
        }
    }

    public KbNode? Child(string slug) => Children.Find(c => string.Equals(c.Slug, slug, StringComparison.Ordinal));

    public IEnumerable<KbNode> Descendants()
    {
        foreach (var child in Children)
        {
            yield return child;
            foreach (var grandChild in child.Descendants())
            {
                yield return grandChild;
            }
        }
    }

    public bool IsAncestorOf(KbNode other)
    {
        for (var node = other.Parent; node is not null; node = node.Parent)
        {
            if (ReferenceEquals(node, this))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Title from metadata, else derived from the slug (<c>shipping-policy.md</c> → <c>Shipping policy</c>).</summary>
    public string DisplayTitle
    {
        get
        {
            if (!string.IsNullOrEmpty(Metadata.Title))
            {
                return Metadata.Title;
            }

            var stem = Slug.EndsWith(".md", StringComparison.Ordinal) ? Slug[..^3] : Slug;
            var words = stem.Replace('-', ' ').Replace('_', ' ').Trim();
            return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
        }
    }
}

/// <summary><c>HelpdeskTreeMetadata</c>: format, title, description, state, author, color, image.</summary>
public sealed class KbMetadata
{
    public string Format { get; set; } = "markdown";

    public string? Title { get; set; }

    public string? Description { get; set; }

    /// <summary>New entries start unpublished (draft): UNVERIFIED default.</summary>
    public bool Published { get; set; }

    public bool Hidden { get; set; }

    public bool Featured { get; set; }

    public string? AuthorUserId { get; set; }

    public string? Color { get; set; }

    public string? Image { get; set; }
}
