namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>Docs as code: input files → parsed docs and per-file errors → plan → (unless dry run) a queued sync run.</summary>
public sealed class HelpdeskSyncService(HelpdeskPlanner planner, HelpdeskSyncRunner runner)
{
    public async Task<(HelpdeskPlan Plan, HelpdeskSync? Sync)> SyncAsync(
        Guid websiteId, IReadOnlyList<DocsFile> files, bool dryRun, bool prune, string source, string? startedBy, CancellationToken ct)
    {
        var (docs, errors) = DocsParser.Parse(files);
        var plan = await planner.PlanAsync(websiteId, docs, errors, prune, ct);
        if (dryRun)
        {
            return (plan, null);
        }

        return (plan, await runner.EnqueueAsync(plan, source, startedBy, prune, ct));
    }
}
