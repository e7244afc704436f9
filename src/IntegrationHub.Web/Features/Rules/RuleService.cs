using IntegrationHub.Web.Features.Audit;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>The current tenant's rules: create, edit (a new version each time), switch on/off, presets.</summary>
public sealed class RuleService(HubDbContext db, AuditLog audit, TimeProvider clock, RulePlanCache planCache)
{
    public sealed record SaveResult(Rule? Rule, IReadOnlyDictionary<string, string[]> Errors)
    {
        public bool Succeeded => Errors.Count == 0;
    }

    public Task<List<Rule>> ListAsync(CancellationToken cancellationToken) => Listed().ToListAsync(cancellationToken);

    public Task<(List<Rule> Rules, Pager Pager)> PageAsync(string? page, string path, CancellationToken cancellationToken) =>
        Paging.PageAsync(Listed(), page, path, cancellationToken);

    private IQueryable<Rule> Listed() =>
        db.Set<Rule>().AsNoTracking().OrderBy(r => r.Name).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id);

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

        var created = await WithRulesLockedAsync(async () =>
        {
            if (await NameTakenAsync(name, null, cancellationToken))
            {
                return new SaveResult(null, NameTakenError(name));
            }

            var now = clock.GetUtcNow();
            var rule = new Rule { Id = Guid.NewGuid(), Name = name.Trim(), Enabled = true, Preset = preset, CreatedAt = now, UpdatedAt = now };
            AddVersion(rule, definition, actor, now);
            db.Set<Rule>().Add(rule);
            audit.Record(actor, "rule.created", rule.Name, "version 1");
            await db.SaveChangesAsync(cancellationToken);
            return new SaveResult(rule, errors);
        }, cancellationToken);
        if (created.Succeeded)
        {
            InvalidatePlans();
        }

        return created;
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
        var errors = RuleValidator.Validate(name, definition);
        SaveResult saved;
        try
        {
            saved = await WithRulesLockedAsync(async () =>
            {
                var rule = await db.Set<Rule>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
                if (rule is null)
                {
                    return new SaveResult(null, new Dictionary<string, string[]> { ["id"] = ["No such rule."] });
                }

                if (errors.Count > 0)
                {
                    return new SaveResult(rule, errors);
                }

                if (baseVersion is { } edited && edited != rule.CurrentVersion)
                {
                    return Conflict(rule);
                }

                // A rename may not take another rule's name; keeping a name that an older rule already shares is allowed,
                // so such rules stay editable until someone renames one of them.
                if (!SameName(rule.Name, name) && await NameTakenAsync(name, id, cancellationToken))
                {
                    return new SaveResult(rule, NameTakenError(name));
                }

                var now = clock.GetUtcNow();
                rule.Name = name.Trim();
                rule.UpdatedAt = now;
                AddVersion(rule, definition, actor, now);
                audit.Record(actor, "rule.updated", rule.Name, $"version {rule.CurrentVersion}");
                await db.SaveChangesAsync(cancellationToken);
                return new SaveResult(rule, errors);
            }, cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueKeyViolation.Is(ex))
        {
            // Another save took this version number first: nothing of this one was written.
            db.ChangeTracker.Clear();
            return Conflict(await db.Set<Rule>().AsNoTracking().FirstAsync(r => r.Id == id, cancellationToken));
        }

        if (saved.Succeeded)
        {
            InvalidatePlans();
        }

        return saved;
    }

    /// <summary>The error key and message of a name another rule of the website already has.</summary>
    public static Dictionary<string, string[]> NameTakenError(string name) => new()
    {
        ["name"] = [$"Another rule is already called '{name.Trim()}'. Rule names are unique within a website (ignoring case), so lists, reports and the audit log stay unambiguous."],
    };

    private static bool SameName(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    // Compared in memory: the databases disagree on case-insensitive comparison (SQLite's lower() is ASCII only), and
    // a website's rule names are few.
    private async Task<bool> NameTakenAsync(string name, Guid? except, CancellationToken cancellationToken) =>
        (await db.Set<Rule>().Where(r => r.Id != except).Select(r => r.Name).ToListAsync(cancellationToken)).Any(n => SameName(n, name));

    /// <summary>
    /// Runs a rule save while no other rule save of the website can: the duplicate-name check is a read, so two saves
    /// of one name at once would each find it free. Updating the website's row first holds its write lock (a row lock
    /// on PostgreSQL and SQL Server, the database's on SQLite) until the commit, as the members page does.
    /// </summary>
    private Task<SaveResult> WithRulesLockedAsync(Func<Task<SaveResult>> save, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Tenants.ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, t => t.UpdatedAt), cancellationToken);
            var result = await save();
            if (result.Succeeded)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return result;
        });

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

        // A rule of the website's own may already be called "Support context": the preset then takes the next free name.
        for (var attempt = 1; attempt <= 100; attempt++)
        {
            var name = attempt == 1 ? "Support context" : $"Support context {attempt}";
            var result = await CreateAsync(name, RulePresets.SupportContextDefinition, actor, cancellationToken, preset);
            if (result.Succeeded)
            {
                return result.Rule!;
            }
        }

        throw new InvalidOperationException("No free name for the support-context preset's rule.");
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
