using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Infrastructure;
using IntegrationHub.CrispSimulator.Plugin;

namespace IntegrationHub.CrispSimulator.People;

/// <summary>People profiles, people data, people events and a person's conversations.</summary>
public static class PeopleEndpoints
{
    public static readonly IReadOnlyList<string> EventColors =
        ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "grey", "black"];

    private const string Base = "/website/{website_id}/people";

    public static void Map(CrispRoutes routes)
    {
        var tiers = CrispRoutes.WebsiteRoutes;
        routes.Get(Base + "/profiles/{page}", tiers, ListProfiles);
        routes.Post(Base + "/profile", tiers, AddProfile);
        routes.GetAndHead(Base + "/profile/{people_id}", tiers, GetProfile);
        routes.Put(Base + "/profile/{people_id}", tiers, SaveProfile);
        routes.Patch(Base + "/profile/{people_id}", tiers, UpdateProfile);
        routes.Delete(Base + "/profile/{people_id}", tiers, RemoveProfile);

        routes.Get(Base + "/data/{people_id}", tiers, call => CrispResult.Resolved(new JsonObject { ["data"] = Find(call).Data.DeepClone() }));
        routes.Put(Base + "/data/{people_id}", tiers, SaveData);
        routes.Patch(Base + "/data/{people_id}", tiers, UpdateData);

        routes.Post(Base + "/events/{people_id}", tiers, AddEvent);
        routes.Get(Base + "/events/{people_id}/list/{page}", tiers, ListEvents);
        routes.Get(Base + "/conversations/{people_id}/list/{page}", tiers, ListConversations);
        routes.Get(Base + "/stats", tiers, call => CrispResult.Resolved(new JsonObject { ["total"] = call.Website.People.Count }));
    }

    /// <summary>Resolves <c>{people_id}</c>: a UUID, or an email address (case-insensitive).</summary>
    public static SimPerson Find(CrispCall call) =>
        FindOrNull(call.Website, call.Route("people_id")) ?? throw CrispApiException.NotFound("people_not_found");

    public static SimPerson? FindOrNull(SimWebsite website, string idOrEmail) =>
        idOrEmail.Contains('@', StringComparison.Ordinal)
            ? website.People.Find(p => string.Equals(p.Email, idOrEmail, StringComparison.OrdinalIgnoreCase))
            : website.People.Find(p => string.Equals(p.PeopleId, idOrEmail, StringComparison.OrdinalIgnoreCase));

    public static JsonObject ToJson(SimPerson person) => new()
    {
        ["people_id"] = person.PeopleId,
        ["email"] = person.Email,
        ["person"] = person.Person.DeepClone(),
        ["company"] = person.Company.DeepClone(),
        ["segments"] = new JsonArray([.. person.Segments.Select(s => JsonValue.Create(s))]),
        ["notepad"] = person.Notepad,
        ["active"] = person.Active?.DeepClone() ?? new JsonObject(),
        ["score"] = person.Score,
        ["created_at"] = person.CreatedAt,
        ["updated_at"] = person.UpdatedAt,
    };

    /// <summary>Newest first; <c>search_text</c> matches email or nickname (case-insensitive substring).</summary>
    private static CrispResult ListProfiles(CrispCall call)
    {
        var search = call.Query("search_text");
        if (search is { Length: > 200 })
        {
            throw new CrispApiException(400, "search_query_too_long");
        }

        var people = call.Website.People.AsEnumerable().Reverse()
            .Where(p => string.IsNullOrEmpty(search)
                || p.Email.Contains(search, StringComparison.OrdinalIgnoreCase)
                || (p.Person["nickname"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                    && p.Person["nickname"]!.GetValue<string>().Contains(search, StringComparison.OrdinalIgnoreCase)));
        return CrispResult.Listed(call.Paginate(people, perPageFromQuery: true).Select(ToJson));
    }

    private static CrispResult AddProfile(CrispCall call)
    {
        var body = call.BodyObject;
        var email = ValidEmail(JsonBody.RequireString(body, "email"));
        var website = call.Website;
        if (FindOrNull(website, email) is not null)
        {
            throw CrispApiException.Conflict("people_exists");
        }

        var now = call.State.NowMs;
        var person = new SimPerson { PeopleId = Guid.NewGuid().ToString(), Email = email, CreatedAt = now, UpdatedAt = now };
        Apply(person, body, replace: true);
        website.People.Add(person);
        call.State.EmitHook(website.WebsiteId, "people:profile:created", new JsonObject { ["people_id"] = person.PeopleId, ["email"] = person.Email });
        return CrispResult.Added(new JsonObject { ["people_id"] = person.PeopleId });
    }

    private static CrispResult GetProfile(CrispCall call) => CrispResult.Resolved(ToJson(Find(call)));

    /// <summary>PUT = save: every field is replaced; absent fields return to their defaults. Email stays required.</summary>
    private static CrispResult SaveProfile(CrispCall call)
    {
        var person = Find(call);
        var body = call.BodyObject;
        var email = ValidEmail(JsonBody.RequireString(body, "email"));
        EnsureEmailFree(call.Website, person, email);
        Apply(person, body, replace: true);
        person.Email = email;
        Updated(call, person);
        return CrispResult.Updated();
    }

    /// <summary>PATCH = update: only fields present are touched; <c>person</c> and <c>company</c> merge key by key.</summary>
    private static CrispResult UpdateProfile(CrispCall call)
    {
        var person = Find(call);
        var body = call.BodyObject;
        if (body.ContainsKey("email") && body["email"] is null)
        {
            throw CrispApiException.InvalidData("'email' cannot be null.");
        }

        if (JsonBody.OptString(body, "email") is { } email)
        {
            email = ValidEmail(email);
            EnsureEmailFree(call.Website, person, email);
            person.Email = email;
        }

        Apply(person, body, replace: false);
        Updated(call, person);
        return CrispResult.Updated();
    }

    private static CrispResult RemoveProfile(CrispCall call)
    {
        var person = Find(call);
        call.Website.People.Remove(person);
        call.State.EmitHook(call.Website.WebsiteId, "people:profile:removed", new JsonObject { ["people_id"] = person.PeopleId, ["email"] = person.Email });
        return CrispResult.Deleted();
    }

    /// <summary>PUT data: the stored data object becomes exactly <c>body.data</c>.</summary>
    private static CrispResult SaveData(CrispCall call)
    {
        var person = Find(call);
        person.Data = JsonBody.RequireDataObject(call.BodyObject, "data");
        person.UpdatedAt = call.State.NowMs;
        return CrispResult.Updated();
    }

    /// <summary>PATCH data: keys of <c>body.data</c> are upserted; other keys are kept.</summary>
    private static CrispResult UpdateData(CrispCall call)
    {
        var person = Find(call);
        var data = JsonBody.RequireDataObject(call.BodyObject, "data");
        foreach (var (key, value) in data)
        {
            person.Data[key] = value?.DeepClone();
        }

        person.UpdatedAt = call.State.NowMs;
        return CrispResult.Updated();
    }

    private static CrispResult AddEvent(CrispCall call)
    {
        var person = Find(call);
        var body = call.BodyObject;
        var text = JsonBody.RequireString(body, "text");
        var data = body.ContainsKey("data") && body["data"] is not null ? JsonBody.ValidateData(body["data"], "data") : [];
        var color = JsonBody.OptString(body, "color") ?? "blue";
        if (!EventColors.Contains(color))
        {
            throw CrispApiException.InvalidData($"'color' must be one of {string.Join(", ", EventColors)}.");
        }

        person.Events.Add(new SimPeopleEvent(text, data, color, call.State.NowMs));
        return CrispResult.Added();
    }

    private static CrispResult ListEvents(CrispCall call)
    {
        var person = Find(call);
        var events = person.Events.AsEnumerable().Reverse().Select(e => new JsonObject
        {
            ["text"] = e.Text,
            ["data"] = e.Data.DeepClone(),
            ["color"] = e.Color,
            ["timestamp"] = e.Timestamp,
        });
        return CrispResult.Listed(call.Paginate(events));
    }

    /// <summary>Session ids only, newest conversation first.</summary>
    private static CrispResult ListConversations(CrispCall call)
    {
        var person = Find(call);
        var sessions = call.Website.Conversations
            .Where(c => string.Equals(c.PeopleId, person.PeopleId, StringComparison.OrdinalIgnoreCase)
                || (c.Meta.Email.Length > 0 && string.Equals(c.Meta.Email, person.Email, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(c => c.CreatedAt)
            .Select(c => c.SessionId);
        return CrispResult.Listed(call.Paginate(sessions));
    }

    private static void Apply(SimPerson person, JsonObject body, bool replace)
    {
        var personObject = JsonBody.OptObject(body, "person");
        var company = JsonBody.OptObject(body, "company");
        var segments = JsonBody.OptStringArray(body, "segments");
        var notepad = JsonBody.OptString(body, "notepad");
        var active = JsonBody.OptObject(body, "active");
        if (personObject?["nickname"] is { } nickname && nickname.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            throw CrispApiException.InvalidData("'person.nickname' must be a string.");
        }

        if (replace)
        {
            person.Person = personObject ?? [];
            person.Company = company ?? [];
            person.Segments = segments ?? [];
            person.Notepad = notepad ?? "";
            person.Active = active;
            return;
        }

        Merge(person.Person, personObject);
        Merge(person.Company, company);
        if (segments is not null)
        {
            person.Segments = segments;
        }

        if (notepad is not null)
        {
            person.Notepad = notepad;
        }

        if (active is not null)
        {
            person.Active = active;
        }
    }

    private static void Merge(JsonObject target, JsonObject? patch)
    {
        if (patch is null)
        {
            return;
        }

        foreach (var (key, value) in patch)
        {
            target[key] = value?.DeepClone();
        }
    }

    private static void EnsureEmailFree(SimWebsite website, SimPerson person, string email)
    {
        var owner = FindOrNull(website, email);
        if (owner is not null && !ReferenceEquals(owner, person))
        {
            throw CrispApiException.Conflict("people_exists");
        }
    }

    private static void Updated(CrispCall call, SimPerson person)
    {
        person.UpdatedAt = call.State.NowMs;
        call.State.EmitHook(call.Website.WebsiteId, "people:profile:updated", new JsonObject
        {
            ["people_id"] = person.PeopleId,
            ["email"] = person.Email,
            ["update"] = new JsonObject { ["updated_at"] = person.UpdatedAt, ["person"] = person.Person.DeepClone() },
        });
    }

    public static string ValidEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == email.Length - 1 || email.Contains(' ', StringComparison.Ordinal) || email.Length > 254
            || email.IndexOf('@', at + 1) >= 0)
        {
            throw CrispApiException.InvalidData("'email' is not a valid email address.");
        }

        return email;
    }
}
