using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Infrastructure;

namespace IntegrationHub.CrispSimulator.Helpdesk;

/// <summary>
/// Legacy article/category/section routes after the 2026-09-22 migration. Every write answers
/// <see cref="SimulatorOptions.LegacyHelpdeskWriteStatus"/> (403 by default) <c>website_cannot_write_to_legacy_helpdesk</c>.
/// Reads are served from the <c>articles</c> tree: top folders are categories, their sub-folders sections, files articles
/// (ids = tree entity ids).
/// </summary>
public static class LegacyHelpdeskEndpoints
{
    private const string Base = "/website/{website_id}/helpdesk/locale/{locale}";

    public static void Map(CrispRoutes routes)
    {
        var tiers = CrispRoutes.WebsiteRoutes;
        string[] writes = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];
        routes.Map(Base + "/article", [HttpMethods.Post], tiers, Refuse);
        routes.Map(Base + "/article/{article_id}", [HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete], tiers, Refuse);
        routes.Map(Base + "/article/{article_id}/{**rest}", writes, tiers, Refuse);
        routes.Map(Base + "/category", [HttpMethods.Post], tiers, Refuse);
        routes.Map(Base + "/category/{category_id}", [HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete], tiers, Refuse);
        routes.Map(Base + "/category/{category_id}/{**rest}", writes, tiers, Refuse);

        routes.Get(Base + "/articles/{page}", tiers, ListArticles);
        routes.GetAndHead(Base + "/article/{article_id}", tiers, call => CrispResult.Resolved(ArticleJson(call, Article(call))));
        routes.Get(Base + "/article/{article_id}/page", tiers, ArticlePage);
        routes.Get(Base + "/article/{article_id}/category", tiers, ArticleCategory);
        routes.Get(Base + "/categories/{page}", tiers, ListCategories);
        routes.GetAndHead(Base + "/category/{category_id}", tiers, call => CrispResult.Resolved(CategoryJson(Category(call))));
        routes.Get(Base + "/category/{category_id}/sections/{page}", tiers, ListSections);
    }

    private static CrispResult Refuse(CrispCall call) =>
        CrispResult.Fail(call.Options.LegacyHelpdeskWriteStatus, "website_cannot_write_to_legacy_helpdesk");

    private static KbNode Root(CrispCall call) => HelpdeskEndpoints.FindLocale(call).Tree("articles");

    private static KbNode Article(CrispCall call)
    {
        var id = call.Route("article_id");
        return Root(call).Descendants().FirstOrDefault(n => !n.IsFolder && string.Equals(n.EntityId, id, StringComparison.OrdinalIgnoreCase))
            ?? throw CrispApiException.NotFound("article_not_found");
    }

    private static KbNode Category(CrispCall call)
    {
        var id = call.Route("category_id");
        return Root(call).Children.Find(n => n.IsFolder && string.Equals(n.EntityId, id, StringComparison.OrdinalIgnoreCase))
            ?? throw CrispApiException.NotFound("category_not_found");
    }

    private static CrispResult ListArticles(CrispCall call) =>
        CrispResult.Listed(call.Paginate(Root(call).Descendants().Where(n => !n.IsFolder)).Select(n => ArticleJson(call, n)));

    private static JsonObject ArticleJson(CrispCall call, KbNode node)
    {
        var locale = HelpdeskEndpoints.FindLocale(call);
        return new JsonObject
        {
            ["article_id"] = node.EntityId,
            ["title"] = node.DisplayTitle,
            ["description"] = node.Metadata.Description,
            ["content"] = node.Content,
            ["status"] = node.Metadata.Published ? "published" : "draft",
            ["visibility"] = node.Metadata.Hidden ? "hidden" : "visible",
            ["featured"] = node.Metadata.Featured,
            ["visits"] = 0,
            ["order"] = node.Parent?.Children.IndexOf(node) ?? 0,
            ["url"] = KbTree.PageUrl(call.Website.Helpdesk, locale.Locale, "articles", node),
            ["created_at"] = node.CreatedAt,
            ["updated_at"] = node.UpdatedAt,
        };
    }

    private static CrispResult ArticlePage(CrispCall call)
    {
        var node = Article(call);
        var locale = HelpdeskEndpoints.FindLocale(call);
        return CrispResult.Resolved(new JsonObject
        {
            ["title"] = node.DisplayTitle,
            ["url"] = KbTree.PageUrl(call.Website.Helpdesk, locale.Locale, "articles", node),
        });
    }

    private static CrispResult ArticleCategory(CrispCall call)
    {
        var node = Article(call);
        var folders = new List<KbNode>();
        for (var parent = node.Parent; parent?.Parent is not null; parent = parent.Parent)
        {
            folders.Insert(0, parent);
        }

        return CrispResult.Resolved(new JsonObject
        {
            ["category_id"] = folders.Count > 0 ? folders[0].EntityId : null,
            ["section_id"] = folders.Count > 1 ? folders[1].EntityId : null,
        });
    }

    private static CrispResult ListCategories(CrispCall call) =>
        CrispResult.Listed(call.Paginate(Root(call).Children.Where(n => n.IsFolder)).Select(CategoryJson));

    private static JsonObject CategoryJson(KbNode node) => new()
    {
        ["category_id"] = node.EntityId,
        ["name"] = node.DisplayTitle,
        ["description"] = node.Metadata.Description,
        ["color"] = node.Metadata.Color,
        ["image"] = node.Metadata.Image,
        ["order"] = node.Parent?.Children.IndexOf(node) ?? 0,
        ["created_at"] = node.CreatedAt,
        ["updated_at"] = node.UpdatedAt,
    };

    private static CrispResult ListSections(CrispCall call) =>
        CrispResult.Listed(call.Paginate(Category(call).Children.Where(n => n.IsFolder)).Select(n => new JsonObject
        {
            ["section_id"] = n.EntityId,
            ["name"] = n.DisplayTitle,
            ["order"] = n.Parent?.Children.IndexOf(n) ?? 0,
            ["created_at"] = n.CreatedAt,
            ["updated_at"] = n.UpdatedAt,
        }));
}
