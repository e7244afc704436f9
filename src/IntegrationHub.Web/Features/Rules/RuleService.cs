using IntegrationHub.Web.Features.Audit;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>The current tenant's rules: create, edit (a new version each time), switch on/off, presets.</summary>
public sealed class RuleService(HubDbContext db, AuditLog audit, TimeProvider clock, RulePlanCache planCache)
{
    public sealed record SaveResult(Rule? Rule, IReadOnlyDictionary<string, string[]> Errors)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public Task<List<Rule>> ListAsync(CancellationToken cancellationToken) =>
        db.Set<Rule>().AsNoTracking().OrderBy(r => r.Name).ThenBy(r => r.CreatedAt).ToListAsync(cancellationToken);

    public Task<Rule?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<Rule>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);

    public Task<List<RuleVersion>> VersionsAsync(Guid ruleId, CancellationToken cancellationToken) =>
        db.Set<RuleVersion>().AsNoTracking().Where(v => v.RuleId == ruleId).OrderByDescending(v => v.Version).ToListAsync(cancellationToken);

    public async Task<RuleDefinition?> CurrentDefinitionAsync(Rule rule, CancellationToken cancellationToken)
    {
        var version = await db.Set<RuleVersion>().AsNoTracking().FirstOrDefaultAsync(v => v.Id == rule.CurrentVersionId, cancellationToken);
        return version is null ? null : RuleDefinition.FromJson(version.Definition);
    }

    public async Task<SaveResult> CreateAsync(string name, RuleDefinition definition, string actor, CancellationToken cancellationToken, string? preset = null)
    {
        var errors = RuleValidator.Validate(name, definition);
        if (errors.Count > 0)
        {
            return new SaveResult(null, errors);
        }

        var now = clock.GetUtcNow();
        var rule = new Rule { Id = Guid.NewGuid(), Name = name.Trim(), Enabled = true, Preset = preset, CreatedAt = now, UpdatedAt = now };
        AddVersion(rule, definition, actor, now);
        db.Set<Rule>().Add(rule);
        audit.Record(actor, "rule.created", rule.Name, "version 1");
        await db.SaveChangesAsync(cancellationToken);
        InvalidatePlans();
        return new SaveResult(rule, errors);
    }

    /// <summary>The error key of a save refused because the rule has a newer version than the one edited.</summary>
    public const string VersionConflict = "version";

    /// <summary>
    /// Saves a new version; what earlier versions produced stays attributed to them. With <paramref name="baseVersion"/>
    /// (the version the editor was opened on), a rule saved by someone else since is refused with
    /// <see cref="VersionConflict"/> instead of being silently replaced; so is the loser of two saves at once.
    /// </summary>
    public async Task<SaveResult> UpdateAsync(Guid id, string name, RuleDefinition definition, string actor, CancellationToken cancellationToken, int? baseVersion = null)
    {
        var rule = await db.Set<Rule>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return new SaveResult(null, new Dictionary<string, string[]> { ["id"] = ["No such rule."] });
        }

        var errors = RuleValidator.Validate(name, definition);
        if (errors.Count > 0)
        {
            return new SaveResult(rule, errors);
        }

        if (baseVersion is { } edited && edited != rule.CurrentVersion)
        {
            return Conflict(rule);
        }

        var now = clock.GetUtcNow();
        rule.Name = name.Trim();
        rule.UpdatedAt = now;
        AddVersion(rule, definition, actor, now);
        audit.Record(actor, "rule.updated", rule.Name, $"version {rule.CurrentVersion}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueKeyViolation.Is(ex))
        {
            // Another save took this version number first: nothing of this one was written.
            db.ChangeTracker.Clear();
            return Conflict(await db.Set<Rule>().AsNoTracking().FirstAsync(r => r.Id == id, cancellationToken));
        }

        InvalidatePlans();
        return new SaveResult(rule, errors);
    }

    private static SaveResult Conflict(Rule current) => new(current, new Dictionary<string, string[]>
    {
        [VersionConflict] = [$"Someone saved version {current.CurrentVersion} of this rule after you opened it, so your changes were not saved. "
            + "They are still in the form below: check the version history, then save again to replace that version."],
    });

    public async Task<bool> SetEnabledAsync(Guid id, bool enabled, string actor, CancellationToken cancellationToken)
    {
        var rule = await db.Set<Rule>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return false;
        }

        if (rule.Enabled != enabled)
        {
            rule.Enabled = enabled;
            rule.UpdatedAt = clock.GetUtcNow();
            audit.Record(actor, enabled ? "rule.enabled" : "rule.disabled", rule.Name);
            await db.SaveChangesAsync(cancellationToken);
            InvalidatePlans();
        }

        return true;
    }

    /// <summary>Switches a preset on: creates its rule the first time, re-enables it afterwards.</summary>
    public async Task<Rule> EnablePresetAsync(string preset, string actor, CancellationToken cancellationToken)
    {
        if (preset != RulePresets.SupportContext)
        {
            throw new ArgumentException($"Unknown preset '{preset}'.", nameof(preset));
        }

        var existing = await db.Set<Rule>().FirstOrDefaultAsync(r => r.Preset == preset, cancellationToken);
        if (existing is not null)
        {
            await SetEnabledAsync(existing.Id, true, actor, cancellationToken);
            return existing;
        }

        var result = await CreateAsync("Support context", RulePresets.SupportContextDefinition, actor, cancellationToken, preset);
        return result.Rule!;
    }

    /// <summary>The enabled rules with their current definitions: what ingestion and preview match against.</summary>
    public async Task<IReadOnlyList<RulePlanner.ActiveRule>> ActiveAsync(CancellationToken cancellationToken)
    {
        var rows = await (from r in db.Set<Rule>()
                          join v in db.Set<RuleVersion>() on r.CurrentVersionId equals v.Id
                          where r.Enabled
                          orderby r.CreatedAt, r.Id
                          select new { r.Id, VersionId = v.Id, v.Version, r.Name, v.Definition })
            .AsNoTracking().ToListAsync(cancellationToken);
        return rows.Select(r => new RulePlanner.ActiveRule(r.Id, r.VersionId, r.Version, r.Name, RuleDefinition.FromJson(r.Definition))).ToList();
    }

    // Ingestion plans with the new rules from its next commit on (on this node; other nodes within PlanCacheSeconds).
    private void InvalidatePlans()
    {
        if (db.CurrentTenantId is { } tenantId)
        {
            planCache.Invalidate(tenantId);
        }
    }

    private void AddVersion(Rule rule, RuleDefinition definition, string actor, DateTimeOffset now)
    {
        var version = new RuleVersion
        {
            Id = Guid.NewGuid(),
            RuleId = rule.Id,
            Version = rule.CurrentVersion + 1,
            Definition = definition.ToJson(),
            CreatedAt = now,
            CreatedBy = actor,
        };
        db.Set<RuleVersion>().Add(version);
        rule.CurrentVersion = version.Version;
        rule.CurrentVersionId = version.Id;
    }
}
