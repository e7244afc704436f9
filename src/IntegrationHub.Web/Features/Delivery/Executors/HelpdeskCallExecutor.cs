using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Crisp;
using IntegrationHub.Web.Features.Helpdesk;

namespace IntegrationHub.Web.Features.Delivery.Executors;

/// <summary>
/// Knowledge Base writes through the tree-path API. Each is safe to run again after an unknown outcome (a timeout
/// whose request did land): a create that finds the path, a delete or move that finds it already done, is skipped
/// rather than dead-lettered.
/// </summary>
public sealed class HelpdeskCallExecutor(CrispClient crisp)
{
    public async Task<ExecutionResult> ExecuteAsync(string website, string kind, JsonObject payload, CancellationToken ct)
    {
        var locale = Text(payload, "locale");
        var contentType = ContentType(payload);
        var path = Text(payload, "path");
        var helpdesk = crisp.Helpdesk;
        switch (kind)
        {
            case CrispCallKinds.HelpdeskPathCreate:
                try
                {
                    await helpdesk.CreatePathAsync(website, locale, contentType, path, ct);
                    return ExecutionResult.Sent;
                }
                catch (CrispApiException ex) when (AlreadyExists(ex))
                {
                    return ExecutionResult.Skipped("path already exists");
                }

            case CrispCallKinds.HelpdeskContentPut:
                await helpdesk.SaveContentAsync(website, locale, contentType, path, payload["content"] is JsonValue v && v.TryGetValue<string>(out var content)
                    ? content
                    : throw new CallCannotSucceedException("invalid_payload", "The payload needs a string 'content'."), ct);
                return ExecutionResult.Sent;

            case CrispCallKinds.HelpdeskMetadataPatch:
                var metadata = payload["metadata"] is JsonObject m
                    ? m.Deserialize<CrispHelpdeskMetadata>(CrispJson.Options)!
                    : throw new CallCannotSucceedException("invalid_payload", "The payload needs an object 'metadata'.");
                if (payload["content_hash"] is JsonValue h && h.TryGetValue<string>(out var expected)
                    && HelpdeskPaths.ContentHash(await helpdesk.GetContentAsync(website, locale, contentType, path, ct)) != expected)
                {
                    // A dead call does not stop the calls after it: without this check a publish whose content write was
                    // refused went on to mark the file published with its old (or, when new, empty) body.
                    throw new CallCannotSucceedException("content_not_written",
                        $"Crisp does not hold the content written for '{path}' just before (that call failed, or the file was changed in Crisp since): "
                        + "its title, description and state were not sent, so the file was not published half-written. Publish or sync it again.");
                }

                await helpdesk.UpdateMetadataAsync(website, locale, contentType, path, metadata, ct);
                return ExecutionResult.Sent;

            case CrispCallKinds.HelpdeskPathMove:
                return await MoveAsync(website, locale, contentType, path, payload, ct);

            case CrispCallKinds.HelpdeskPathDelete:
                try
                {
                    await helpdesk.DeletePathAsync(website, locale, contentType, path, ct);
                    return ExecutionResult.Sent;
                }
                catch (CrispApiException ex) when (PathMissing(ex))
                {
                    return ExecutionResult.Skipped("path already gone");
                }

            default:
                throw new CallCannotSucceedException("unknown_kind", $"No executor for call kind '{kind}'.");
        }
    }

    private async Task<ExecutionResult> MoveAsync(string website, string locale, CrispHelpdeskContentType contentType, string path, JsonObject payload, CancellationToken ct)
    {
        var to = payload["to"] is JsonValue t && t.TryGetValue<string>(out var target) && target.Length > 0 ? target : null;
        var position = payload["position"] is JsonValue p && p.TryGetValue<int>(out var index) ? index : (int?)null;
        if (to is null && position is null)
        {
            throw new CallCannotSucceedException("invalid_payload", "A move needs 'to', 'position' or both.");
        }

        var change = new CrispHelpdeskPathChange { Action = to is null ? "reorder" : "move", Path = to is null ? null : new CrispHelpdeskPathTarget(to), Position = position };
        try
        {
            await crisp.Helpdesk.UpdatePathAsync(website, locale, contentType, path, change, ct);
            return ExecutionResult.Sent;
        }
        catch (CrispApiException ex) when (to is not null && PathMissing(ex))
        {
            // A move whose earlier attempt landed (timeout after success) finds its source gone and its target there.
            if (await ExistsAsync(website, locale, contentType, to, ct))
            {
                return ExecutionResult.Skipped("already moved");
            }

            throw;
        }
    }

    private async Task<bool> ExistsAsync(string website, string locale, CrispHelpdeskContentType contentType, string path, CancellationToken ct)
    {
        try
        {
            await crisp.Helpdesk.ResolvePathAsync(website, locale, contentType, path, ct);
            return true;
        }
        catch (CrispApiException ex) when (PathMissing(ex))
        {
            return false;
        }
    }

    // Crisp's reasons for a tree path that exists or is missing are unverified (crisp-kb-tree-api.md §3): the status
    // decides, so a repeat after an unknown outcome is recognised whatever the reason is called. A website without the
    // plugin is not a missing path: that 404 goes to the drain, which checks the subscription.
    private static bool AlreadyExists(CrispApiException ex) => ex.StatusCode == 409 || ex.Reason == "path_exists";

    private static bool PathMissing(CrispApiException ex) => ex.StatusCode == 404 && ex.Reason != "not_subscribed";

    private static CrispHelpdeskContentType ContentType(JsonObject payload) => Text(payload, "content_type") switch
    {
        "articles" => CrispHelpdeskContentType.Articles,
        "guides" => CrispHelpdeskContentType.Guides,
        "references" => CrispHelpdeskContentType.References,
        "news" => CrispHelpdeskContentType.News,
        var other => throw new CallCannotSucceedException("invalid_payload", $"Unknown helpdesk content type '{other}'."),
    };

    private static string Text(JsonObject payload, string name) =>
        payload[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text)
            ? text
            : throw new CallCannotSucceedException("invalid_payload", $"The payload needs a string '{name}'.");
}
