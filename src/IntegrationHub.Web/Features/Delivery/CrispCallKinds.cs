namespace IntegrationHub.Web.Features.Delivery;

/// <summary>
/// The Crisp actions the delivery engine knows how to perform, with the JSON payload each expects
/// (snake_case). People are addressed by email; the engine resolves and caches people_id.
/// </summary>
public static class CrispCallKinds
{
    /// <summary><c>{email, nickname?, avatar?, phone?, company?{name,url,domain}, segments?[]}</c>: create or update the profile.</summary>
    public const string PeopleProfileUpsert = "people.profile.upsert";

    /// <summary><c>{email, data{k: string|number|bool}}</c>: merge keys into people data.</summary>
    public const string PeopleDataMerge = "people.data.merge";

    /// <summary><c>{email, text, data{}, color}</c>: add a people event.</summary>
    public const string PeopleEventAdd = "people.event.add";

    /// <summary><c>{email, segments[]}</c>: add segments to the profile.</summary>
    public const string PeopleSegmentsAdd = "people.segments.add";

    /// <summary><c>{email, segments[]}</c>: remove segments from the profile.</summary>
    public const string PeopleSegmentsRemove = "people.segments.remove";

    /// <summary><c>{email, data{}, create_conversation: bool}</c>: merge keys into the open conversation's session data.</summary>
    public const string SessionDataMerge = "session.data.merge";

    /// <summary><c>{email, segments[], create_conversation: bool}</c>: add conversation segments.</summary>
    public const string ConversationSegmentsAdd = "conversation.segments.add";

    /// <summary><c>{email, segments[]}</c>: remove conversation segments.</summary>
    public const string ConversationSegmentsRemove = "conversation.segments.remove";

    /// <summary><c>{email, content, create_conversation: bool}</c>: post a private note to the open conversation.</summary>
    public const string ConversationNote = "conversation.note";

    /// <summary><c>{session_id, content}</c>: an operator text message to a conversation (auto-replies).</summary>
    public const string ConversationMessage = "conversation.message";

    /// <summary><c>{session_id, state}</c>: move a conversation to pending, unresolved or resolved (read first; no-op skipped).</summary>
    public const string ConversationState = "conversation.state";

    /// <summary><c>{campaign_id}</c>: dispatch a campaign.</summary>
    public const string CampaignDispatch = "campaign.dispatch";

    /// <summary><c>{settings{}}</c>: write the plugin settings back to Crisp (PATCH subscription settings).</summary>
    public const string PluginSettingsUpdate = "plugin.settings.update";

    /// <summary><c>{locale, content_type, path}</c>: create a Knowledge Base file (<c>*.md</c>) or folder; one that exists is skipped.</summary>
    public const string HelpdeskPathCreate = "helpdesk.path.create";

    /// <summary><c>{locale, content_type, path, content}</c>: write a file's Markdown (PUT tree/content).</summary>
    public const string HelpdeskContentPut = "helpdesk.content.put";

    /// <summary><c>{locale, content_type, path, metadata{title?, description?, state?{published, hidden, featured}}}</c>: PATCH tree/metadata.</summary>
    public const string HelpdeskMetadataPatch = "helpdesk.metadata.patch";

    /// <summary><c>{locale, content_type, path, to?, position?}</c>: move/rename (<c>to</c>) and/or reorder (<c>position</c>).</summary>
    public const string HelpdeskPathMove = "helpdesk.path.move";

    /// <summary><c>{locale, content_type, path}</c>: delete a file or folder; one already gone is skipped.</summary>
    public const string HelpdeskPathDelete = "helpdesk.path.delete";

    public static bool IsHelpdesk(string kind) => kind.StartsWith("helpdesk.", StringComparison.Ordinal);
}
