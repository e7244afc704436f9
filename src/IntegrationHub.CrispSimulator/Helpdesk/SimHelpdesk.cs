namespace IntegrationHub.CrispSimulator.Helpdesk;

/// <summary>A website's knowledge base: locales, each with one tree per content type.</summary>
public sealed class SimHelpdesk
{
    public static readonly IReadOnlyList<string> ContentTypes = ["articles", "guides", "references", "news"];

    public bool Initialized { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Public base URL, e.g. <c>https://acme.help.crisp.chat</c> (no trailing slash).</summary>
    public string Url { get; set; } = "";

    public List<SimLocale> Locales { get; } = [];

    /// <summary>Writes to the trees, newest first (<c>history/changes</c>).</summary>
    public List<KbChange> Changes { get; } = [];

    public SimLocale? FindLocale(string locale) =>
        Locales.Find(l => string.Equals(l.Locale, locale, StringComparison.OrdinalIgnoreCase));
}

public sealed class SimLocale
{
    public required string LocaleId { get; init; }

    public required string Locale { get; init; }

    public long CreatedAt { get; init; }

    /// <summary>Root folder per content type (<c>articles|guides|references|news</c>); the roots have no slug.</summary>
    public Dictionary<string, KbNode> Trees { get; } = new(StringComparer.Ordinal);

    public KbNode Tree(string contentType)
    {
        if (!Trees.TryGetValue(contentType, out var root))
        {
            root = new KbNode { Slug = "", IsFolder = true, EntityId = Guid.NewGuid().ToString() };
            Trees[contentType] = root;
        }

        return root;
    }
}
