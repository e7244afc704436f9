using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Crisp;
using IntegrationHub.Web.Infrastructure.Crisp;

namespace IntegrationHub.Web.Features.Delivery.Executors;

/// <summary>What a call did when Crisp accepted it (or found nothing to do).</summary>
/// <remarks><paramref name="MessageFingerprint"/>: what Crisp answered to a conversation message it accepted.</remarks>
public sealed record ExecutionResult(string Outcome, string? Note = null, long? MessageFingerprint = null)
{
    public static readonly ExecutionResult Sent = new("sent");

    public static ExecutionResult Skipped(string why) => new("skipped", why);
}

/// <summary>A call that cannot succeed as it stands (e.g. no open conversation and none may be created).</summary>
public sealed class CallCannotSucceedException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Performs one outbox call against Crisp, per kind. Read-merge-write where Crisp replaces (session data, segments),
/// reads first to skip no-op writes, and turns <c>people_not_found</c> on a people write into "create the profile,
/// then retry the write once". Crisp failures propagate to the drain, which classifies them.
/// </summary>
public sealed class CrispCallExecutor(CrispClient crisp, PluginIdentity plugin)
{
    /// <summary>
    /// The most Crisp requests any one call can make, so the smallest budget every call can be delivered within: a
    /// session-data, conversation-segments or note call for a contact whose three latest conversations are resolved,
    /// with <c>create_conversation</c> on — the contact's conversation list, a read of each of the three (only three
    /// are looked at), creating a conversation, setting its email, then the write. (A people write for a new contact
    /// that Crisp created meanwhile: write, add profile, read it, write again — four.) Calls are claimed with their
    /// <see cref="EstimatedCost"/>, the usual case; one cut off for want of permits is claimed with this many next time.
    /// </summary>
    public const int MaxRequestsPerCall = 7;

    /// <summary>Crisp requests a call normally costs (the budget is claimed per request, not per call). A people write
    /// for a contact whose people_id is not cached may find no profile: write, add profile, write again. A profile
    /// upsert that adds segments reads the profile first (its segments are merged), then writes it.</summary>
    public static int EstimatedCost(string kind, bool personCached = true, bool addsSegments = false) => kind switch
    {
        CrispCallKinds.PeopleDataMerge or CrispCallKinds.PeopleEventAdd when !personCached => 3,
        CrispCallKinds.PeopleProfileUpsert when !personCached || addsSegments => 2,
        CrispCallKinds.PeopleSegmentsAdd or CrispCallKinds.PeopleSegmentsRemove or CrispCallKinds.ConversationState => 2,
        CrispCallKinds.SessionDataMerge or CrispCallKinds.ConversationSegmentsAdd or CrispCallKinds.ConversationSegmentsRemove
            or CrispCallKinds.ConversationNote => 3,
        _ => 1,
    };

    public async Task<ExecutionResult> ExecuteAsync(Guid tenantId, string kind, string payloadJson, PeopleCache people, CancellationToken ct)
    {
        var website = tenantId.ToString("D");
        var payload = JsonNode.Parse(payloadJson) as JsonObject
            ?? throw new CallCannotSucceedException("invalid_payload", "The payload is not a JSON object.");
        return kind switch
        {
            CrispCallKinds.PeopleProfileUpsert => await UpsertProfileAsync(website, payload, people, ct),
            CrispCallKinds.PeopleDataMerge => await PeopleWriteAsync(website, payload, people,
                id => crisp.People.UpdateDataAsync(website, id, Object(payload, "data"), ct), ct),
            CrispCallKinds.PeopleEventAdd => await PeopleWriteAsync(website, payload, people,
                id => crisp.People.AddEventAsync(website, id, EventInput(payload), ct), ct),
            CrispCallKinds.PeopleSegmentsAdd => await PeopleSegmentsAsync(website, payload, people, add: true, ct),
            CrispCallKinds.PeopleSegmentsRemove => await PeopleSegmentsAsync(website, payload, people, add: false, ct),
            CrispCallKinds.SessionDataMerge => await SessionDataAsync(website, payload, people, ct),
            CrispCallKinds.ConversationSegmentsAdd => await ConversationSegmentsAsync(website, payload, people, add: true, ct),
            CrispCallKinds.ConversationSegmentsRemove => await ConversationSegmentsAsync(website, payload, people, add: false, ct),
            CrispCallKinds.ConversationNote => await NoteAsync(website, payload, people, ct),
            CrispCallKinds.ConversationMessage => await MessageAsync(website, payload, ct),
            CrispCallKinds.ConversationState => await StateAsync(website, payload, ct),
            CrispCallKinds.CampaignDispatch => await CampaignAsync(website, payload, ct),
            CrispCallKinds.PluginSettingsUpdate => await SettingsAsync(website, payload, ct),
            _ when CrispCallKinds.IsHelpdesk(kind) => await new HelpdeskCallExecutor(crisp).ExecuteAsync(website, kind, payload, ct),
            _ => throw new CallCannotSucceedException("unknown_kind", $"No executor for call kind '{kind}'."),
        };
    }

    /// <summary>Whether Crisp still has the plugin installed on the website (after a not_subscribed answer).</summary>
    public async Task<bool> IsSubscribedAsync(Guid tenantId, CancellationToken ct) =>
        await crisp.FindSubscriptionAsync(plugin, tenantId, ct) is not null;

    private async Task<ExecutionResult> UpsertProfileAsync(string website, JsonObject payload, PeopleCache people, CancellationToken ct)
    {
        var email = Email(payload);
        var input = ProfileInput(payload, email, creating: false);
        var peopleId = people.Get(email) ?? email;
        try
        {
            if (input.Segments is { Count: > 0 } wanted)
            {
                var current = await crisp.People.GetProfileAsync(website, peopleId, ct);
                people.Remember(email, current.PeopleId);
                input = input with { Segments = Union(current.Segments, wanted) };
                peopleId = current.PeopleId;
            }

            await crisp.People.UpdateProfileAsync(website, peopleId, input with { Email = null }, ct);
            return ExecutionResult.Sent;
        }
        catch (CrispApiException ex) when (ex.Reason == "people_not_found")
        {
            people.Forget(email);
            var (id, existing) = await AddProfileAsync(website, ProfileInput(payload, email, creating: true), ct);
            people.Remember(email, id);
            if (existing is null)
            {
                return new ExecutionResult("sent", "profile created");
            }

            // Crisp has a profile for the email after all (the cached id's profile was deleted and a new one made):
            // the add wrote nothing, so the push's fields go to that profile like to any existing one.
            var update = ProfileInput(payload, email, creating: false);
            if (update.Segments is { Count: > 0 } wanted)
            {
                update = update with { Segments = Union(existing.Segments, wanted) };
            }

            await crisp.People.UpdateProfileAsync(website, id, update with { Email = null }, ct);
            return ExecutionResult.Sent;
        }
    }

    /// <summary>A people write by cached people_id (or the email, which Crisp resolves); on people_not_found the
    /// profile is created (Crisp's add-profile takes no data) and the write retried once.</summary>
    private async Task<ExecutionResult> PeopleWriteAsync(string website, JsonObject payload, PeopleCache people, Func<string, Task> write, CancellationToken ct)
    {
        var email = Email(payload);
        try
        {
            await write(people.Get(email) ?? email);
            return ExecutionResult.Sent;
        }
        catch (CrispApiException ex) when (ex.Reason == "people_not_found")
        {
            people.Forget(email);
            var (peopleId, _) = await AddProfileAsync(website, new CrispPeopleProfileInput { Email = email, Person = new CrispPerson { Nickname = NicknameOf(email) } }, ct);
            people.Remember(email, peopleId);
            await write(peopleId);
            return new ExecutionResult("sent", "profile created, write retried");
        }
    }

    private async Task<ExecutionResult> PeopleSegmentsAsync(string website, JsonObject payload, PeopleCache people, bool add, CancellationToken ct)
    {
        var email = Email(payload);
        var segments = Strings(payload, "segments");
        var cached = people.Get(email);
        CrispPeopleProfile profile;
        try
        {
            profile = await crisp.People.GetProfileAsync(website, cached ?? email, ct);
        }
        catch (CrispApiException ex) when (ex.Reason == "people_not_found")
        {
            people.Forget(email);
            if (!add)
            {
                // A stale cached id says nothing about the email: Crisp may hold a newer profile for it.
                if (cached is null || await FindProfileAsync(website, email, ct) is not { } found)
                {
                    return ExecutionResult.Skipped("no profile: nothing to remove");
                }

                profile = found;
            }
            else
            {

                var (id, existing) = await AddProfileAsync(website, new CrispPeopleProfileInput { Email = email, Person = new CrispPerson { Nickname = NicknameOf(email) }, Segments = segments }, ct);
                people.Remember(email, id);
                if (existing is null)
                {
                    return new ExecutionResult("sent", "profile created with the segments");
                }

                profile = existing; // the add wrote nothing: merge into the profile Crisp has
            }
        }

        people.Remember(email, profile.PeopleId);
        var current = profile.Segments ?? [];
        var next = add ? Union(current, segments) : current.Where(s => !segments.Contains(s, StringComparer.Ordinal)).ToList();
        if (next.Count == current.Count && next.All(current.Contains))
        {
            return ExecutionResult.Skipped("segments unchanged");
        }

        await crisp.People.UpdateProfileAsync(website, profile.PeopleId, new CrispPeopleProfileInput { Segments = next }, ct);
        return ExecutionResult.Sent;
    }

    private async Task<ExecutionResult> SessionDataAsync(string website, JsonObject payload, PeopleCache people, CancellationToken ct)
    {
        var data = Object(payload, "data");
        if (await OpenConversationOrNullAsync(website, payload, people, ct) is not var (sessionId, meta))
        {
            return NoOpenConversation;
        }

        var merged = meta?.Data?.DeepClone().AsObject() ?? [];
        var changed = false;
        foreach (var (key, value) in data)
        {
            if (!JsonNode.DeepEquals(merged[key], value))
            {
                merged[key] = value?.DeepClone();
                changed = true;
            }
        }

        if (!changed)
        {
            return ExecutionResult.Skipped("session data unchanged");
        }

        // Crisp replaces meta.data as a whole: write back every key, the ones this event did not name included.
        await crisp.Conversations.UpdateMetaAsync(website, sessionId, new CrispConversationMeta { Data = merged }, ct);
        return ExecutionResult.Sent;
    }

    private async Task<ExecutionResult> ConversationSegmentsAsync(string website, JsonObject payload, PeopleCache people, bool add, CancellationToken ct)
    {
        var segments = Strings(payload, "segments");
        if (await OpenConversationOrNullAsync(website, payload, people, ct, allowCreate: add) is not var (sessionId, meta))
        {
            return NoOpenConversation;
        }

        var current = meta?.Segments ?? [];
        var next = add ? Union(current, segments) : current.Where(s => !segments.Contains(s, StringComparer.Ordinal)).ToList();
        if (next.Count == current.Count && next.All(current.Contains))
        {
            return ExecutionResult.Skipped("segments unchanged");
        }

        await crisp.Conversations.UpdateMetaAsync(website, sessionId, new CrispConversationMeta { Segments = next }, ct);
        return ExecutionResult.Sent;
    }

    private async Task<ExecutionResult> NoteAsync(string website, JsonObject payload, PeopleCache people, CancellationToken ct)
    {
        if (await OpenConversationOrNullAsync(website, payload, people, ct) is not var (sessionId, _))
        {
            return NoOpenConversation;
        }

        await crisp.Conversations.SendMessageAsync(website, sessionId, CrispMessageInput.Note(Text(payload, "content")), ct);
        return ExecutionResult.Sent;
    }

    private async Task<ExecutionResult> MessageAsync(string website, JsonObject payload, CancellationToken ct)
    {
        var fingerprint = await crisp.Conversations.SendMessageAsync(website, Text(payload, "session_id"), CrispMessageInput.Text(Text(payload, "content")), ct);
        return ExecutionResult.Sent with { MessageFingerprint = fingerprint > 0 ? fingerprint : null }; // 0: the answer carried none
    }

    private async Task<ExecutionResult> StateAsync(string website, JsonObject payload, CancellationToken ct)
    {
        var sessionId = Text(payload, "session_id");
        if (!Enum.TryParse<CrispConversationState>(Text(payload, "state"), ignoreCase: true, out var wanted))
        {
            throw new CallCannotSucceedException("invalid_payload", "state must be pending, unresolved or resolved.");
        }

        if (await crisp.Conversations.GetStateAsync(website, sessionId, ct) == wanted)
        {
            return ExecutionResult.Skipped("state unchanged");
        }

        await crisp.Conversations.UpdateStateAsync(website, sessionId, wanted, ct);
        return ExecutionResult.Sent;
    }

    private async Task<ExecutionResult> CampaignAsync(string website, JsonObject payload, CancellationToken ct)
    {
        await crisp.Campaigns.DispatchAsync(website, Text(payload, "campaign_id"), ct);
        return ExecutionResult.Sent;
    }

    private async Task<ExecutionResult> SettingsAsync(string website, JsonObject payload, CancellationToken ct)
    {
        await crisp.Plugin.UpdateSubscriptionSettingsAsync(website, await plugin.GetPluginIdAsync(ct), Object(payload, "settings"), ct);
        return ExecutionResult.Sent;
    }

    // A contact who is not chatting has no conversation to put session data or a note on: that is the normal case
    // for most events, not a failure, so it must not fill the dead letters or lower the success rate.
    private static readonly ExecutionResult NoOpenConversation = ExecutionResult.Skipped("no open conversation (create_conversation is off)");

    private async Task<(string SessionId, CrispConversationMeta? Meta)?> OpenConversationOrNullAsync(
        string website, JsonObject payload, PeopleCache people, CancellationToken ct, bool allowCreate = true)
    {
        try
        {
            return await OpenConversationAsync(website, payload, people, ct, allowCreate);
        }
        catch (CallCannotSucceedException ex) when (ex.Reason == "no_open_conversation")
        {
            return null;
        }
    }

    /// <summary>The contact's most recent conversation that is not resolved (its meta included), or a new one when
    /// the payload says <c>create_conversation</c>.</summary>
    private async Task<(string SessionId, CrispConversationMeta? Meta)> OpenConversationAsync(
        string website, JsonObject payload, PeopleCache people, CancellationToken ct, bool allowCreate = true)
    {
        var email = Email(payload);
        IReadOnlyList<string> sessions;
        try
        {
            sessions = await crisp.People.ListConversationsAsync(website, people.Get(email) ?? email, 1, ct);
        }
        catch (CrispApiException ex) when (ex.Reason == "people_not_found")
        {
            people.Forget(email);
            sessions = [];
        }

        foreach (var sessionId in sessions.Take(3))
        {
            var conversation = await crisp.Conversations.GetAsync(website, sessionId, ct);
            if (conversation.State != CrispConversationState.Resolved)
            {
                return (sessionId, conversation.Meta);
            }
        }

        if (!allowCreate || payload["create_conversation"]?.GetValueKind() != JsonValueKind.True)
        {
            throw new CallCannotSucceedException("no_open_conversation", $"No open conversation for {email} and create_conversation is not set.");
        }

        var created = await crisp.Conversations.CreateAsync(website, ct);
        await crisp.Conversations.UpdateMetaAsync(website, created, new CrispConversationMeta { Email = email }, ct);
        return (created, null);
    }

    private async Task<CrispPeopleProfile?> FindProfileAsync(string website, string email, CancellationToken ct)
    {
        try
        {
            return await crisp.People.GetProfileAsync(website, email, ct);
        }
        catch (CrispApiException ex) when (ex.Reason == "people_not_found")
        {
            return null;
        }
    }

    /// <summary>Adds the profile, or, when Crisp already has one for the email (created meanwhile, e.g. by the visitor's
    /// chatbox, or made anew after the cached id's profile was deleted), reads that one: <c>Existing</c> is then set and
    /// nothing of <paramref name="input"/> was written, so the caller still owes it its fields.</summary>
    private async Task<(string PeopleId, CrispPeopleProfile? Existing)> AddProfileAsync(string website, CrispPeopleProfileInput input, CancellationToken ct)
    {
        try
        {
            return (await crisp.People.AddProfileAsync(website, input, ct), null);
        }
        catch (CrispApiException ex) when (ex.Reason == "people_exists")
        {
            var existing = await crisp.People.GetProfileAsync(website, input.Email!, ct);
            return (existing.PeopleId, existing);
        }
    }

    /// <summary>
    /// The profile fields the push gave, and only those: Crisp's update merges what it is sent, so a field left out
    /// must not be sent (a default nickname would overwrite the one an operator or an earlier push set). A new profile
    /// needs a nickname: the email's local part then. Segments are added to the profile's: none given, none sent (an
    /// empty list would replace the profile's segments with nothing).
    /// </summary>
    private static CrispPeopleProfileInput ProfileInput(JsonObject payload, string email, bool creating)
    {
        var company = payload["company"] as JsonObject;
        var nickname = (string?)payload["nickname"] ?? (creating ? NicknameOf(email) : null);
        var avatar = (string?)payload["avatar"];
        var phone = (string?)payload["phone"];
        var segments = payload["segments"] is JsonArray ? Strings(payload, "segments") : null;
        return new CrispPeopleProfileInput
        {
            Email = email,
            Person = nickname is null && avatar is null && phone is null ? null : new CrispPerson
            {
                Nickname = nickname,
                Avatar = avatar,
                Phone = phone,
            },
            Company = company is null ? null : new CrispCompany
            {
                Name = (string?)company["name"],
                Url = (string?)company["url"],
                Domain = (string?)company["domain"],
            },
            Segments = segments is { Count: > 0 } ? segments : null,
        };
    }

    private static CrispPeopleEventInput EventInput(JsonObject payload)
    {
        CrispEventColor? color = null;
        if ((string?)payload["color"] is { Length: > 0 } text)
        {
            color = Enum.TryParse<CrispEventColor>(text, ignoreCase: true, out var parsed)
                ? parsed
                : throw new CallCannotSucceedException("invalid_payload", $"Unknown event colour '{text}'.");
        }

        return new CrispPeopleEventInput(Text(payload, "text")) { Data = payload["data"] as JsonObject is { } data ? data.DeepClone().AsObject() : null, Color = color };
    }

    private static List<string> Union(IReadOnlyList<string>? current, IReadOnlyList<string> added)
    {
        var result = (current ?? []).ToList();
        result.AddRange(added.Where(s => !result.Contains(s, StringComparer.Ordinal)));
        return result;
    }

    private static string NicknameOf(string email) => email.Split('@')[0];

    private static string Email(JsonObject payload) => Text(payload, "email").Trim();

    private static string Text(JsonObject payload, string name) =>
        payload[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text)
            ? text
            : throw new CallCannotSucceedException("invalid_payload", $"The payload needs a string '{name}'.");

    private static JsonObject Object(JsonObject payload, string name) =>
        payload[name] is JsonObject value
            ? value.DeepClone().AsObject()
            : throw new CallCannotSucceedException("invalid_payload", $"The payload needs an object '{name}'.");

    private static List<string> Strings(JsonObject payload, string name) =>
        payload[name] is JsonArray array
            ? array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList()
            : throw new CallCannotSucceedException("invalid_payload", $"The payload needs an array '{name}'.");
}
