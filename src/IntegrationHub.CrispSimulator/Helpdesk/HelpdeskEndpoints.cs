using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Infrastructure;
using IntegrationHub.CrispSimulator.Plugin;

namespace IntegrationHub.CrispSimulator.Helpdesk;

/// <summary>Helpdesk root and locales (routes unchanged by the 2026 Knowledge Base migration).</summary>
public static partial class HelpdeskEndpoints
{
    private const string Base = "/website/{website_id}/helpdesk";

    public static void Map(CrispRoutes routes)
    {
        var tiers = CrispRoutes.WebsiteRoutes;
        routes.GetAndHead(Base, tiers, GetRoot);
        routes.Post(Base, tiers, InitializeRoot);
        routes.Delete(Base, tiers, RemoveRoot);
        routes.Get(Base + "/locales/{page}", tiers, ListLocales);
        routes.Post(Base + "/locale", tiers, AddLocale);
        routes.GetAndHead(Base + "/locale/{locale}", tiers, call => CrispResult.Resolved(LocaleJson(call.Website, FindLocale(call))));
        routes.Delete(Base + "/locale/{locale}", tiers, RemoveLocale);
    }

    /// <summary>Sets up a website's knowledge base with one locale (done at install time).</summary>
    public static void Initialize(CrispSimulatorState state, SimWebsite website, string name, string basicDomain, string? locale)
    {
        var helpdesk = website.Helpdesk;
        helpdesk.Initialized = true;
        helpdesk.Name = name;
        helpdesk.Url = $"https://{basicDomain}.help.crisp.chat";
        if (locale is not null && helpdesk.FindLocale(locale) is null)
        {
            helpdesk.Locales.Add(new SimLocale { LocaleId = Guid.NewGuid().ToString(), Locale = locale, CreatedAt = state.NowMs });
        }
    }

    public static SimHelpdesk RequireHelpdesk(CrispCall call)
    {
        var helpdesk = call.Website.Helpdesk;
        return helpdesk.Initialized ? helpdesk : throw CrispApiException.NotFound("helpdesk_not_found");
    }

    public static SimLocale FindLocale(CrispCall call) =>
        RequireHelpdesk(call).FindLocale(call.Route("locale")) ?? throw CrispApiException.NotFound("locale_not_found");

    private static CrispResult GetRoot(CrispCall call)
    {
        var helpdesk = RequireHelpdesk(call);
        return CrispResult.Resolved(new JsonObject { ["name"] = helpdesk.Name, ["url"] = helpdesk.Url + "/" });
    }

    private static CrispResult InitializeRoot(CrispCall call)
    {
        var body = call.BodyObject;
        var name = JsonBody.RequireString(body, "name");
        var domain = JsonBody.RequireString(body, "domain_basic");
        if (!DomainPattern().IsMatch(domain))
        {
            throw CrispApiException.InvalidData("'domain_basic' must be lowercase letters, digits and dashes.");
        }

        if (call.Website.Helpdesk.Initialized)
        {
            throw CrispApiException.Conflict("helpdesk_exists");
        }

        Initialize(call.State, call.Website, name, domain, null);
        return CrispResult.Added();
    }

    /// <summary><c>DELETE /helpdesk</c> (kept in v11 per crisp-kb-tree-api.md §4): the knowledge base and its locales are gone.</summary>
    private static CrispResult RemoveRoot(CrispCall call)
    {
        var helpdesk = RequireHelpdesk(call);
        helpdesk.Initialized = false;
        helpdesk.Locales.Clear();
        helpdesk.Changes.Clear();
        return CrispResult.Deleted();
    }

    private static CrispResult ListLocales(CrispCall call) =>
        CrispResult.Listed(call.Paginate(RequireHelpdesk(call).Locales).Select(l => LocaleJson(call.Website, l)));

    private static CrispResult AddLocale(CrispCall call)
    {
        var helpdesk = RequireHelpdesk(call);
        var locale = JsonBody.RequireString(call.BodyObject, "locale");
        if (!LocalePattern().IsMatch(locale))
        {
            throw CrispApiException.InvalidData("'locale' must be an ISO-639-1 code such as en or pt-br.");
        }

        if (helpdesk.FindLocale(locale) is not null)
        {
            throw CrispApiException.Conflict("locale_exists");
        }

        helpdesk.Locales.Add(new SimLocale { LocaleId = Guid.NewGuid().ToString(), Locale = locale, CreatedAt = call.State.NowMs });
        return CrispResult.Added();
    }

    private static CrispResult RemoveLocale(CrispCall call)
    {
        var locale = FindLocale(call);
        RequireHelpdesk(call).Locales.Remove(locale);
        return CrispResult.Deleted();
    }

    /// <summary><c>HelpdeskLocale</c> with the v11 <c>statistics.{ct}.{entries,groups}</c> counts.</summary>
    private static JsonObject LocaleJson(SimWebsite website, SimLocale locale)
    {
        var statistics = new JsonObject();
        foreach (var contentType in SimHelpdesk.ContentTypes)
        {
            var nodes = locale.Tree(contentType).Descendants().ToList();
            statistics[contentType] = new JsonObject
            {
                ["entries"] = nodes.Count(n => !n.IsFolder),
                ["groups"] = nodes.Count(n => n.IsFolder),
            };
        }

        return new JsonObject
        {
            ["locale_id"] = locale.LocaleId,
            ["locale"] = locale.Locale,
            ["url"] = $"{website.Helpdesk.Url}/{locale.Locale}/",
            ["statistics"] = statistics,
            ["created_at"] = locale.CreatedAt,
        };
    }

    [GeneratedRegex("^[a-z]{2}(-[a-z]{2,4})?$")]
    private static partial Regex LocalePattern();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex DomainPattern();
}
