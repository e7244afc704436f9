using System.CommandLine;
using IntegrationHub.Security;
using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Helpdesk;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Hosting;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Infrastructure.Cli;

/// <summary>
/// Operator verbs of the same executable: <c>dotnet run --project src/IntegrationHub.Web -- &lt;verb&gt;</c>.
/// They build the same service provider as the server (same configuration), but never start the server.
/// </summary>
public static class HubCommandLine
{
    public const int UsageError = 2;

    /// <summary>A verb, or a request for the usage; anything else starting with '-' is a host option (<c>--urls</c>).</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && (!args[0].StartsWith('-') || IsHelp(args));

    private static bool IsHelp(string[] args) => args.Length == 1 && args[0] is "--help" or "-h" or "-?" or "/?";

    public static async Task<int> RunAsync(
        string[] args,
        TextWriter? output = null,
        TextWriter? error = null,
        IReadOnlyDictionary<string, string?>? configurationOverrides = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        if (IsHelp(args))
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }

        WebApplication built;
        try
        {
            built = BuildHost(configurationOverrides);
        }
        catch (Exception ex) when (StartupRefusal.Messages(ex) is [_, ..] messages)
        {
            // A setting of the wrong type or a missing connection string: the sentence naming the key, not a stack trace.
            return await RefuseAsync(error, messages);
        }

        await using var host = built;

        var root = new RootCommand("IntegrationHub operator commands. Without a verb, the hub server starts.");
        root.Subcommands.Add(MigrateCommand(host, output));
        root.Subcommands.Add(AdminCommand(host, output, error));
        root.Subcommands.Add(TenantCommand(host, output, error));
        root.Subcommands.Add(ApiKeyCommand(host, output, error));
        root.Subcommands.Add(KeysCommand(host, output, error));
        root.Subcommands.Add(DeliveriesCommand(host, output, error));
        root.Subcommands.Add(HelpdeskCommand(host, output, error));

        var parsed = root.Parse(args);
        // parsed.Action, not the command's: a verb group's --help (`tenant --help`) is the help action on a command without one.
        if (parsed.Errors.Count > 0 || parsed.Action is null)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            await error.WriteLineAsync(Usage);
            return UsageError;
        }

        try
        {
            // Every verb uses the database: wait for it like the server does (compose runs migrate as soon as SQL
            // Server's container is up).
            await WaitForDatabaseAsync(host);
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (StartupRefusal.Messages(ex) is [_, ..] messages)
        {
            // The refusals the server makes at start-up (a wrong password or database, a lost key ring): the operator
            // needs the sentence, not a stack trace.
            return await RefuseAsync(error, messages);
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception ex)
        {
            // What the library's default handler did: a bug keeps its stack trace, and the exit code is 1.
            await error.WriteLineAsync("Unhandled exception: " + ex);
            return 1;
        }
    }

    public const string Usage = """
        Usage: dotnet run --project src/IntegrationHub.Web -- <verb> [options]
          migrate                                         apply database migrations
          admin create --email E --password P             create (or promote) a hub administrator
          admin list                                      hub administrators: email, active or locked out
          tenant list                                     website_id, name, status — one per line
          tenant add --website WEBSITE_ID --name NAME     install a website by hand (development without Crisp)
          apikey create --website WEBSITE_ID --name NAME  create an API key; the key is the last line printed
          apikey list --website WEBSITE_ID                id, name, prefix, created, last used, revoked — never a secret
          apikey revoke --website WEBSITE_ID --key ID|PREFIX  revoke an API key
          keys rotate                                     re-wrap every data key under the current key-encryption key
          keys verify                                     decrypt every stored secret; report failures (never secrets)
          deliveries replay --website ID (--call ID | --all-dead)  put dead-lettered Crisp calls back in the queue
          deliveries stats [--website ID]                 calls per status, budget factor and back-off (per tenant), quota
          helpdesk sync --website ID --dir PATH [--dry-run] [--prune]
                                                          sync <locale>/<type>/<folders>/<slug>.md files to Crisp's Knowledge Base
        """;

    private static async Task<int> RefuseAsync(TextWriter error, IReadOnlyList<string> messages)
    {
        foreach (var message in messages)
        {
            await error.WriteLineAsync(message);
        }

        return 1;
    }

    private static async Task WaitForDatabaseAsync(WebApplication host)
    {
        var database = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value;
        var connectionString = DatabaseServiceCollectionExtensions.ResolveConnectionString(host.Configuration, host.Environment, database.Provider);
        await DatabaseStartupWait.WaitAsync(
            database.Provider,
            connectionString,
            database.StartupWaitSeconds,
            host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartupWait).FullName!));
        await DatabaseStartupWait.EnsureSqliteUsableAsync(database.Provider, connectionString);
    }

    private static WebApplication BuildHost(IReadOnlyDictionary<string, string?>? configurationOverrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        if (configurationOverrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(configurationOverrides);
        }

        builder.Configuration.AddHubKeyVaultSecrets();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddHubServices(forCommandLine: true);
        return builder.Build();
    }

    private static Command MigrateCommand(WebApplication host, TextWriter output)
    {
        var command = new Command("migrate", "Apply pending database migrations.");
        command.SetAction(async (_, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            await DatabaseInitializer.MigrateAsync(db, ct);
            await output.WriteLineAsync($"Database is up to date ({db.Database.ProviderName}).");
            return 0;
        });
        return command;
    }

    private static Command AdminCommand(WebApplication host, TextWriter output, TextWriter error)
    {
        var email = new Option<string>("--email") { Description = "The administrator's email (sign-in name).", Required = true };
        var password = new Option<string>("--password") { Description = "At least 12 characters with a digit, lower and upper case.", Required = true };
        var create = new Command("create", "Create a hub administrator, or promote an existing user.") { email, password };
        create.SetAction(async (parse, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            var result = await scope.ServiceProvider.GetRequiredService<HubAdministratorBootstrapper>()
                .EnsureAdministratorAsync(parse.GetValue(email)!, parse.GetValue(password)!);
            if (!result.Succeeded)
            {
                foreach (var identityError in result.Errors)
                {
                    await error.WriteLineAsync(identityError.Description);
                }

                return 1;
            }

            await output.WriteLineAsync($"Administrator {parse.GetValue(email)} is ready.");
            return 0;
        });
        var list = new Command("list", "List hub administrators: email, locked out or not — one per line, tab-separated.");
        list.SetAction(async (_, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<HubUser>>();
            var now = DateTimeOffset.UtcNow;
            foreach (var user in (await users.GetUsersInRoleAsync(HubRoles.Administrator)).OrderBy(u => u.Email, StringComparer.Ordinal))
            {
                var state = user.LockoutEnd is { } until && until > now ? $"locked until {Iso(until)}" : "active";
                await output.WriteLineAsync($"{OneField(user.Email ?? user.UserName ?? user.Id)}\t{state}");
            }

            return 0;
        });
        return new Command("admin", "Hub administrators.") { create, list };
    }

    /// <summary>
    /// A name as one field of a tab-separated line: control characters escaped (<c>\t</c>, <c>\n</c>, <c>\u001b</c>).
    /// The hub's own forms and verbs refuse them, but a website's name also comes from Crisp (syncs, hooks), where a
    /// tab or line break would split or forge lines of the listing.
    /// </summary>
    internal static string OneField(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    private static Command TenantCommand(WebApplication host, TextWriter output, TextWriter error)
    {
        var list = new Command("list", "List tenants: website_id, name, status — one per line, tab-separated.");
        list.SetAction(async (_, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            foreach (var tenant in await scope.ServiceProvider.GetRequiredService<TenantDirectory>().ListAllAsync(ct))
            {
                await output.WriteLineAsync($"{tenant.WebsiteId}\t{OneField(tenant.Name)}\t{tenant.Status.ToString().ToLowerInvariant()}");
            }

            return 0;
        });

        var website = WebsiteOption();
        var name = NameOption("The website's display name.", 200);
        var domain = DomainOption();
        var add = new Command("add", "Install a website by hand, for development without Crisp.") { website, name, domain };
        add.SetAction(async (parse, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            try
            {
                var tenant = await scope.ServiceProvider.GetRequiredService<TenantDirectory>()
                    .AddManualAsync(parse.GetValue(website), parse.GetValue(name)!, parse.GetValue(domain), ct);
                await output.WriteLineAsync($"{tenant.WebsiteId}\t{tenant.Name}\t{tenant.Status.ToString().ToLowerInvariant()}");
                return 0;
            }
            catch (InvalidOperationException ex)
            {
                await error.WriteLineAsync(ex.Message);
                return 1;
            }
        });

        return new Command("tenant", "Tenants (installed Crisp websites).") { list, add };
    }

    private static Command ApiKeyCommand(WebApplication host, TextWriter output, TextWriter error)
    {
        var website = WebsiteOption();
        var name = NameOption("What the key is for, e.g. 'billing backend'.", 100);
        var create = new Command("create", "Create an API key for a tenant. The key is printed once, as the last line.") { website, name };
        create.SetAction(async (parse, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            var websiteId = parse.GetValue(website);
            if (!await UseTenantAsync(scope, websiteId, error, ct))
            {
                return 1;
            }

            // The key and its audit entry commit together, as on the dashboard (whose audit log lists key changes).
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var issued = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var created = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(parse.GetValue(name)!, ct);
                scope.ServiceProvider.GetRequiredService<Features.Audit.AuditLog>().Record(CliActor, "apikey.created", created.Key.Prefix, created.Key.Name);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return created;
            });
            await output.WriteLineAsync($"Created API key '{issued.Key.Name}' ({ApiKeyService.KeyPrefix}{issued.Key.Prefix}…) for {websiteId:D}. It is shown only now:");
            await output.WriteLineAsync(issued.Plaintext);
            return 0;
        });

        var listWebsite = WebsiteOption();
        var list = new Command("list", "List a website's API keys, newest first — never a secret (the hub keeps only hashes).") { listWebsite };
        list.SetAction(async (parse, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            var websiteId = parse.GetValue(listWebsite);
            if (!await UseTenantAsync(scope, websiteId, error, ct))
            {
                return 1;
            }

            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            foreach (var key in await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).ToListAsync(ct))
            {
                await output.WriteLineAsync(string.Join('\t',
                    key.Id.ToString("D"),
                    OneField(key.Name),
                    $"{ApiKeyService.KeyPrefix}{key.Prefix}",
                    Iso(key.CreatedAt),
                    key.LastUsedAt is { } used ? Iso(used) : "never",
                    key.RevokedAt is { } revoked ? $"revoked {Iso(revoked)}" : "active"));
            }

            return 0;
        });

        var revokeWebsite = WebsiteOption();
        var keyOption = new Option<string>("--key") { Description = "The key's id or its prefix (ihk_xxxxxxxxxx, as `apikey list` prints it).", Required = true };
        var revoke = new Command("revoke", "Revoke an API key of a website: it stops working at once on this node, within Api:Auth:CacheSeconds on the others.") { revokeWebsite, keyOption };
        revoke.SetAction(async (parse, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            var websiteId = parse.GetValue(revokeWebsite);
            if (!await UseTenantAsync(scope, websiteId, error, ct))
            {
                return 1;
            }

            // Tenant-scoped: another website's key is as absent as one that never existed.
            var given = parse.GetValue(keyOption)!.Trim();
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            // `ihk_abc123`, `ihk_abc123_…` (as the dashboard shows it), a bare prefix, or the whole key pasted: its prefix.
            var prefix = given.StartsWith(ApiKeyService.KeyPrefix, StringComparison.Ordinal) ? given[ApiKeyService.KeyPrefix.Length..] : given;
            prefix = prefix.Split('_', '…')[0];
            var key = Guid.TryParse(given, out var keyId)
                ? await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId, ct)
                : await db.ApiKeys.FirstOrDefaultAsync(k => k.Prefix == prefix, ct);
            if (key is null)
            {
                // Not echoed: it may be a whole key pasted by mistake.
                await error.WriteLineAsync($"Website {websiteId:D} has no API key with that id or prefix (see `apikey list --website {websiteId:D}`).");
                return 1;
            }

            if (key.RevokedAt is not null)
            {
                await output.WriteLineAsync($"API key '{OneField(key.Name)}' ({ApiKeyService.KeyPrefix}{key.Prefix}) of {websiteId:D} was already revoked.");
                return 0;
            }

            // The revocation and its audit entry commit together, as on the dashboard.
            scope.ServiceProvider.GetRequiredService<Features.Audit.AuditLog>().Record(CliActor, "apikey.revoked", key.Prefix, key.Name);
            await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(key.Id, ct);
            await output.WriteLineAsync($"API key '{OneField(key.Name)}' ({ApiKeyService.KeyPrefix}{key.Prefix}) of {websiteId:D} revoked.");
            return 0;
        });

        return new Command("apikey", "Customer API keys.") { create, list, revoke };
    }

    /// <summary>Who the audit log names for a change made with a verb.</summary>
    private const string CliActor = "cli";

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Acts for the website from here on, or says it is not a tenant.</summary>
    private static async Task<bool> UseTenantAsync(AsyncServiceScope scope, Guid websiteId, TextWriter error, CancellationToken ct)
    {
        if (!await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tenants.AcrossTenants().AnyAsync(t => t.Id == websiteId, ct))
        {
            await error.WriteLineAsync($"Website {websiteId:D} is not a tenant.");
            return false;
        }

        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(websiteId);
        return true;
    }

    private static Command KeysCommand(WebApplication host, TextWriter output, TextWriter error)
    {
        var rotate = new Command("rotate", "Re-wrap every tenant data key under the current key-encryption key (resumable).");
        rotate.SetAction(async (_, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            var result = await scope.ServiceProvider.GetRequiredService<KeyMaintenance>().RotateAsync(ct);
            foreach (var failure in result.Failures)
            {
                await error.WriteLineAsync($"FAILED {failure.TenantId:D}: {failure.Reason}");
            }

            await output.WriteLineAsync(
                $"Key-encryption key {result.CurrentKekId}{(result.CreatedNewKek ? " (new)" : string.Empty)}: {result.Rewrapped} data keys re-wrapped, {result.AlreadyCurrent} already current, {result.Failures.Count} failed.");
            return result.Failures.Count == 0 ? 0 : 1;
        });

        var verify = new Command("verify", "Decrypt every stored secret and report failures without printing any secret.");
        verify.SetAction(async (_, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            var result = await scope.ServiceProvider.GetRequiredService<KeyMaintenance>().VerifyAsync(ct);
            foreach (var failure in result.Failures)
            {
                await error.WriteLineAsync($"FAILED {failure.TenantId:D} {failure.SecretName}: {failure.Reason}");
            }

            await output.WriteLineAsync($"{result.SecretsChecked} secrets of {result.TenantsChecked} tenants checked, {result.Failures.Count} failed.");
            return result.Failures.Count == 0 ? 0 : 1;
        });

        return new Command("keys", "Envelope-encryption keys.") { rotate, verify };
    }

    private static Command DeliveriesCommand(WebApplication host, TextWriter output, TextWriter error)
    {
        var website = WebsiteOption();
        var call = new Option<long?>("--call") { Description = "The id of one dead-lettered call." };
        var allDead = new Option<bool>("--all-dead") { Description = "Every dead-lettered call of the website." };
        var replay = new Command("replay", "Put dead-lettered Crisp calls back in the queue with a fresh set of attempts.") { website, call, allDead };
        replay.SetAction(async (parse, ct) =>
        {
            var callId = parse.GetValue(call);
            if (callId is null == !parse.GetValue(allDead))
            {
                await error.WriteLineAsync("Give exactly one of --call ID or --all-dead.");
                return UsageError;
            }

            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            var websiteId = parse.GetValue(website);
            if (!await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tenants.AcrossTenants().AnyAsync(t => t.Id == websiteId, ct))
            {
                await error.WriteLineAsync($"Website {websiteId:D} is not a tenant.");
                return 1;
            }

            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(websiteId);
            // The replay and its audit entry commit together, as on the dashboard (whose audit log lists replays).
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var replayed = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var count = await scope.ServiceProvider.GetRequiredService<DeliveryAdmin>().ReplayAsync(callId, ct);
                if (count > 0)
                {
                    scope.ServiceProvider.GetRequiredService<Features.Audit.AuditLog>().Record(CliActor, "delivery.replayed",
                        callId is { } one ? $"call {one}" : "all dead calls", $"{count} dead call(s) re-queued");
                    await db.SaveChangesAsync(ct);
                }

                await transaction.CommitAsync(ct);
                return count;
            });
            if (replayed == 0 && callId is { } id)
            {
                // Tenant-scoped: another website's call is as absent as one that never existed.
                var status = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<CrispCall>()
                    .Where(c => c.Id == id).Select(c => (CrispCallStatus?)c.Status).SingleOrDefaultAsync(ct);
                await error.WriteLineAsync(status is null
                    ? $"Website {websiteId:D} has no Crisp call {id}."
                    : $"Call {id} is {status.Value.ToString().ToLowerInvariant()}, not dead: nothing to replay.");
                return 1;
            }

            await output.WriteLineAsync($"{replayed} dead-lettered call(s) of {websiteId:D} queued again.");
            return 0;
        });

        var statsWebsite = new Option<Guid?>("--website") { Description = "Only this website (default: every tenant)." };
        statsWebsite.Validators.Add(RefuseEmptyWebsite);
        var stats = new Command("stats", "Calls per status and tenant, and the plugin's daily quota.") { statsWebsite };
        stats.SetAction(async (parse, ct) =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            var only = parse.GetValue(statsWebsite);
            if (only is { } websiteId && !await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tenants.AcrossTenants().AnyAsync(t => t.Id == websiteId, ct))
            {
                await error.WriteLineAsync($"Website {websiteId:D} is not a tenant.");
                return 1;
            }

            var admin = scope.ServiceProvider.GetRequiredService<DeliveryAdmin>();
            var counts = await admin.CountsAcrossTenantsAsync(ct);
            var states = await admin.StatesAcrossTenantsAsync(ct);
            var perTenant = counts.Where(c => only is null || c.TenantId == only).GroupBy(c => c.TenantId).ToDictionary(g => g.Key, g => g.ToList());
            // The website asked about gets its line even without a call (its budget factor and back-off still tell).
            var tenants = only is { } asked ? [asked] : perTenant.Keys.Order().ToList();
            foreach (var tenantId in tenants)
            {
                var line = perTenant.TryGetValue(tenantId, out var tenantCounts)
                    ? string.Join(' ', tenantCounts.OrderBy(c => c.Status).Select(c => $"{c.Status.ToString().ToLowerInvariant()}={c.Count}"))
                    : "no calls";
                states.TryGetValue(tenantId, out var state);
                var factor = (state?.BudgetFactor ?? 1).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
                var backoff = state?.BackoffUntil is { } until && until > DateTimeOffset.UtcNow ? until.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "none";
                await output.WriteLineAsync($"{tenantId:D}\t{line}\tbudget_factor={factor} backoff_until={backoff}");
            }

            var quota = await scope.ServiceProvider.GetRequiredService<PluginQuota>().GetStatusAsync(ct);
            await output.WriteLineAsync($"plugin quota {quota.Day:yyyy-MM-dd}: {quota.Used}/{quota.DailyQuota} used, pauses at {quota.PauseAt}{(quota.Paused ? " — PAUSED" : "")}");
            return 0;
        });

        return new Command("deliveries", "The Crisp call outbox.") { replay, stats };
    }

    private static Command HelpdeskCommand(WebApplication host, TextWriter output, TextWriter error)
    {
        var website = WebsiteOption();
        var dir = new Option<string>("--dir") { Description = "Folder of <locale>/<content type>/<folders>/<slug>.md files with YAML front matter.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan; queue nothing." };
        var prune = new Option<bool>("--prune") { Description = "Also delete what Crisp has and the folder does not (in the trees the folder names)." };
        var sync = new Command("sync", "Compare a docs folder with Crisp's Knowledge Base and queue the writes that make Crisp match it.") { website, dir, dryRun, prune };
        sync.SetAction(async (parse, ct) =>
        {
            if (host.Services.GetRequiredService<HubCrispMode>().IsDemo)
            {
                // Demo mode's simulator lives inside the running server: this process would compare with an empty one.
                await error.WriteLineAsync("helpdesk sync needs Crisp: set Crisp:PluginIdentifier and Crisp:PluginKey (and Crisp:BaseUrl to use a simulator); it cannot run in demo mode.");
                return 1;
            }

            await using var scope = host.Services.CreateAsyncScope();
            await EnsureMigratedAsync(scope, ct);
            var websiteId = parse.GetValue(website);
            if (!await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tenants.AcrossTenants().AnyAsync(t => t.Id == websiteId, ct))
            {
                await error.WriteLineAsync($"Website {websiteId:D} is not a tenant.");
                return 1;
            }

            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(websiteId);
            var options = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HelpdeskOptions>>().Value;
            IReadOnlyList<DocsFile> files;
            try
            {
                files = DocsInput.FromDirectory(parse.GetValue(dir)!, options);
            }
            catch (DocsInputException ex)
            {
                await error.WriteLineAsync(ex.Message);
                return 1;
            }

            HelpdeskPlan plan;
            HelpdeskSync? run;
            try
            {
                (plan, run) = await scope.ServiceProvider.GetRequiredService<HelpdeskSyncService>()
                    .SyncAsync(websiteId, files, parse.GetValue(dryRun), parse.GetValue(prune), "cli", "cli", ct);
            }
            catch (IntegrationHub.Crisp.CrispException ex)
            {
                await error.WriteLineAsync($"Crisp could not be read ({ex.Message}); nothing was queued.");
                return 1;
            }

            foreach (var item in plan.Items)
            {
                var line = $"{item.Action}\t{item.InputPath}{(item.Detail is null ? "" : "\t" + item.Detail)}";
                await (item.Action == HelpdeskPlanAction.Error ? error : output).WriteLineAsync(line);
            }

            var counts = string.Join(", ", plan.Items.GroupBy(i => i.Action).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
            await output.WriteLineAsync(run is null
                ? $"Dry run: {plan.WriteCount} write(s) planned ({counts}); nothing queued."
                : $"Sync {run.Id:D}: {plan.WriteCount} write(s) queued ({counts}).");
            return plan.HasErrors ? 1 : 0;
        });

        return new Command("helpdesk", "Crisp Knowledge Base docs as code.") { sync };
    }

    private static Option<Guid> WebsiteOption()
    {
        var option = new Option<Guid>("--website") { Description = "The Crisp website_id (a UUID).", Required = true };
        option.Validators.Add(RefuseEmptyWebsite);
        return option;
    }

    /// <summary>The all-zero UUID parses, but no website has it (and tenancy refuses an empty tenant id): a usage
    /// error wherever a website is named, the optional one of <c>deliveries stats</c> included.</summary>
    private static void RefuseEmptyWebsite(System.CommandLine.Parsing.OptionResult result)
    {
        if (result.Tokens.Count > 0 && Guid.TryParse(result.Tokens[^1].Value, out var id) && id == Guid.Empty)
        {
            result.AddError("--website must not be the empty UUID.");
        }
    }

    /// <summary>A required, non-blank name of at most <paramref name="maxLength"/> characters: refused as bad arguments
    /// (usage, exit 2) before anything is written.</summary>
    private static Option<string> NameOption(string description, int maxLength)
    {
        var option = new Option<string>("--name") { Description = description, Required = true };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0)
            {
                return;
            }

            var value = result.Tokens[^1].Value.Trim();
            if (string.IsNullOrEmpty(value))
            {
                result.AddError("--name must not be empty.");
            }
            else if (value.Length > maxLength)
            {
                result.AddError($"--name must be at most {maxLength} characters.");
            }
            else if (value.Any(char.IsControl))
            {
                // Shown on dashboard pages and in `tenant list`'s tab-separated lines: a tab or newline would break both.
                result.AddError("--name must not contain control characters (tabs, line breaks).");
            }
        });
        return option;
    }

    /// <summary>An optional domain that fits the column (a DNS name is at most 253 characters): refused as a bad argument
    /// (usage, exit 2), not by the database after the fact — PostgreSQL and SQL Server enforce the length, SQLite does not.</summary>
    private static Option<string?> DomainOption()
    {
        var option = new Option<string?>("--domain") { Description = "The website's domain (optional)." };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0)
            {
                return;
            }

            var value = result.Tokens[^1].Value;
            if (string.IsNullOrWhiteSpace(value))
            {
                result.AddError("--domain must not be empty.");
            }
            else if (value.Length > 253 || value.Any(char.IsWhiteSpace))
            {
                result.AddError("--domain must be a domain name (at most 253 characters, no spaces).");
            }
        });
        return option;
    }

    /// <summary>The embedded database is migrated on first use, so a fresh clone's first verb just works.</summary>
    private static async Task EnsureMigratedAsync(AsyncServiceScope scope, CancellationToken ct)
    {
        var options = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value;
        if (options.ShouldMigrateOnStartup)
        {
            await DatabaseInitializer.MigrateAsync(scope.ServiceProvider.GetRequiredService<HubDbContext>(), ct);
        }
        else
        {
            // Like the server: a server database nobody migrated is one line saying so, not the first query's stack trace.
            await DatabaseInitializer.EnsureMigratedAsync(scope.ServiceProvider.GetRequiredService<HubDbContext>(), ct);
        }

        await LocalKeyRingGuard.EnsureAsync(scope.ServiceProvider.GetRequiredService<IKeyEncryptionKeyProvider>(),
            scope.ServiceProvider.GetRequiredService<HubDbContext>(), ct);
    }
}
