using IntegrationHub.Web.Infrastructure.Cli;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Cli;

/// <summary>The operator verbs, run in-process against their own SQLite file with the same configuration keys as the server.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hub-cli-").FullName;

    private Dictionary<string, string?> Configuration => new()
    {
        ["Database:Provider"] = "Sqlite",
        ["ConnectionStrings:Hub"] = $"Data Source={Path.Combine(_directory, "cli.db")}",
        ["Hub:DataDirectory"] = _directory,
    };

    [Fact]
    public async Task TenantAddThenList_PrintsOneLinePerTenant()
    {
        var website = Guid.NewGuid();
        Assert.Equal(0, (await RunAsync("tenant", "add", "--website", website.ToString(), "--name", "Acme Store")).Code);
        Assert.Equal(0, (await RunAsync("tenant", "add", "--website", Guid.NewGuid().ToString(), "--name", "Zeta")).Code);

        var list = await RunAsync("tenant", "list");

        Assert.Equal(0, list.Code);
        var lines = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal($"{website:D}\tAcme Store\tactive", lines[0]);
    }

    [Fact]
    public async Task TenantList_NameFromCrispWithTabsAndLineBreaks_StaysOneLineOfThreeFields()
    {
        var website = Guid.NewGuid();
        await RunAsync("tenant", "add", "--website", website.ToString(), "--name", "Acme");
        await using (var hub = new HubApplicationFactory(Web.Infrastructure.Data.DatabaseProvider.Sqlite, Configuration["ConnectionStrings:Hub"]!, _directory))
        {
            // As a sync or hook stores Crisp's name: the hub's forms and verbs refuse such a name, Crisp need not.
            await using var scope = hub.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<Web.Infrastructure.Tenancy.TenantContext>().Use(website);
            var db = scope.ServiceProvider.GetRequiredService<Web.Infrastructure.Data.HubDbContext>();
            (await db.Tenants.SingleAsync()).Name = "Acme\n00000000-0000-0000-0000-000000000001\tEvil\tactive\u001b[2J";
            await db.SaveChangesAsync();
        }

        var list = await RunAsync("tenant", "list");

        var line = Assert.Single(list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"{website:D}\tAcme\\n00000000-0000-0000-0000-000000000001\\tEvil\\tactive\\u001b[2J\tactive", line);
    }

    [Fact]
    public async Task TenantAdd_SameWebsiteTwice_FailsWithoutDuplicate()
    {
        var website = Guid.NewGuid().ToString();
        await RunAsync("tenant", "add", "--website", website, "--name", "Acme");
        var again = await RunAsync("tenant", "add", "--website", website, "--name", "Acme");
        Assert.Equal(1, again.Code);
        Assert.Single((await RunAsync("tenant", "list")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task TenantAdd_UninstalledWebsite_ReactivatesItWithItsPausedCalls()
    {
        var website = Guid.NewGuid();
        await RunAsync("tenant", "add", "--website", website.ToString(), "--name", "Acme");
        await using (var hub = new HubApplicationFactory(Web.Infrastructure.Data.DatabaseProvider.Sqlite, Configuration["ConnectionStrings:Hub"]!, _directory))
        {
            await using (var scope = hub.Services.CreateAsyncScope())
            {
                scope.ServiceProvider.GetRequiredService<Web.Infrastructure.Tenancy.TenantContext>().Use(website);
                scope.ServiceProvider.GetRequiredService<Web.Features.Delivery.CrispCallOutbox>().Enqueue(Web.Features.Delivery.CrispCallKinds.PeopleDataMerge, new { email = "a@acme.example", data = new { plan = "pro" } }, "a@acme.example");
                await scope.ServiceProvider.GetRequiredService<Web.Infrastructure.Data.HubDbContext>().SaveChangesAsync();
            }

            await hub.Services.GetRequiredService<Web.Features.Installations.InstallationLifecycle>().UninstallAsync(website, CancellationToken.None);
        }

        Assert.Contains($"{website:D}\tAcme\tuninstalled", (await RunAsync("tenant", "list")).Output, StringComparison.Ordinal);

        var again = await RunAsync("tenant", "add", "--website", website.ToString(), "--name", "Acme Again");

        Assert.Equal(0, again.Code);
        Assert.Equal($"{website:D}\tAcme Again\tactive", (await RunAsync("tenant", "list")).Output.Trim());
        Assert.Contains($"{website:D}\tqueued=1\t", (await RunAsync("deliveries", "stats", "--website", website.ToString())).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(254)]
    [InlineData(5000)]
    public async Task TenantAdd_DomainTooLong_PrintsUsageAndExit2WithoutTenant(int length)
    {
        var result = await RunAsync("tenant", "add", "--website", Guid.NewGuid().ToString(), "--name", "Acme", "--domain", new string('d', length));

        Assert.Equal(2, result.Code);
        Assert.Contains("--domain must be a domain name", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, (await RunAsync("tenant", "list")).Output.Trim());
    }

    [Fact]
    public async Task ApiKeyCreate_PrintsAWorkingKeyAsLastLine()
    {
        var website = Guid.NewGuid().ToString();
        await RunAsync("tenant", "add", "--website", website, "--name", "Acme");

        var result = await RunAsync("apikey", "create", "--website", website, "--name", "billing backend");

        Assert.Equal(0, result.Code);
        var key = result.Output.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("ihk_", key, StringComparison.Ordinal);

        await using var hub = new HubApplicationFactory(Web.Infrastructure.Data.DatabaseProvider.Sqlite, Configuration["ConnectionStrings:Hub"]!, _directory);
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        Assert.Contains(website, await client.GetStringAsync("/api/v1/tenant"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeyCreate_UnknownWebsite_Fails()
    {
        var result = await RunAsync("apikey", "create", "--website", Guid.NewGuid().ToString(), "--name", "x");
        Assert.Equal(1, result.Code);
        Assert.Contains("is not a tenant", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeyList_PrintsTheWebsitesKeysNewestFirst_NeverASecret_NoOtherWebsitesKey()
    {
        var website = Guid.NewGuid().ToString();
        var other = Guid.NewGuid().ToString();
        await RunAsync("tenant", "add", "--website", website, "--name", "Acme");
        await RunAsync("tenant", "add", "--website", other, "--name", "Globex");
        var billing = LastLine((await RunAsync("apikey", "create", "--website", website, "--name", "billing backend")).Output);
        var crm = LastLine((await RunAsync("apikey", "create", "--website", website, "--name", "crm")).Output);
        var globex = LastLine((await RunAsync("apikey", "create", "--website", other, "--name", "globex backend")).Output);
        await using (var hub = new HubApplicationFactory(Web.Infrastructure.Data.DatabaseProvider.Sqlite, Configuration["ConnectionStrings:Hub"]!, _directory))
        {
            var client = hub.CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", billing);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/tenant")).StatusCode);
            // Last use is written in the background every 15 s: write it now.
            await hub.Services.GetRequiredService<Web.Features.ApiKeys.ApiKeyUsage>().FlushAsync(CancellationToken.None);
        }

        Assert.Equal(0, (await RunAsync("apikey", "revoke", "--website", website, "--key", Prefix(crm))).Code);
        var list = await RunAsync("apikey", "list", "--website", website);

        Assert.Equal(0, list.Code);
        var lines = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, fields => Assert.Equal(6, fields.Length));
        Assert.Equal(["crm", Prefix(crm)], lines[0][1..3]);
        Assert.StartsWith("revoked ", lines[0][5], StringComparison.Ordinal);
        Assert.Equal("never", lines[0][4]);
        Assert.Equal(["billing backend", Prefix(billing)], lines[1][1..3]);
        Assert.Equal("active", lines[1][5]);
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", lines[1][3]);
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", lines[1][4]);
        Assert.True(Guid.TryParse(lines[1][0], out _));
        Assert.DoesNotContain(billing, list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(billing.Split('_')[^1], list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Prefix(globex), list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("globex", list.Output, StringComparison.Ordinal);

        var unknown = await RunAsync("apikey", "list", "--website", Guid.NewGuid().ToString());
        Assert.Equal(1, unknown.Code);
        Assert.Contains("is not a tenant", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeyRevoke_ByIdPrefixOrWholeKey_StopsTheKey_Audited_AnotherWebsitesKeyIsNotFound()
    {
        var website = Guid.NewGuid().ToString();
        var other = Guid.NewGuid().ToString();
        await RunAsync("tenant", "add", "--website", website, "--name", "Acme");
        await RunAsync("tenant", "add", "--website", other, "--name", "Globex");
        var first = LastLine((await RunAsync("apikey", "create", "--website", website, "--name", "first")).Output);
        var second = LastLine((await RunAsync("apikey", "create", "--website", website, "--name", "second")).Output);
        var third = LastLine((await RunAsync("apikey", "create", "--website", website, "--name", "third")).Output);

        // Another website's key, by prefix or by id, is as absent as one that does not exist; the pasted key is not echoed.
        var crossed = await RunAsync("apikey", "revoke", "--website", other, "--key", first);
        Assert.Equal(1, crossed.Code);
        Assert.Contains("has no API key with that id or prefix", crossed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(first, crossed.Error, StringComparison.Ordinal);
        var firstId = (await RunAsync("apikey", "list", "--website", website)).Output.Split('\n').Single(l => l.Contains("\tfirst\t", StringComparison.Ordinal)).Split('\t')[0];
        Assert.Equal(1, (await RunAsync("apikey", "revoke", "--website", other, "--key", firstId)).Code);
        Assert.Equal(1, (await RunAsync("apikey", "revoke", "--website", website, "--key", "ihk_nosuchkey")).Code);
        Assert.Equal(1, (await RunAsync("apikey", "revoke", "--website", Guid.NewGuid().ToString(), "--key", firstId)).Code);

        await using (var hub = new HubApplicationFactory(Web.Infrastructure.Data.DatabaseProvider.Sqlite, Configuration["ConnectionStrings:Hub"]!, _directory))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, await StatusAsync(hub, first));
        }

        var byId = await RunAsync("apikey", "revoke", "--website", website, "--key", firstId);
        Assert.Equal(0, byId.Code);
        Assert.Contains($"'first' ({Prefix(first)}) of {website} revoked.", byId.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("apikey", "revoke", "--website", website, "--key", Prefix(second) + "_…")).Code);
        Assert.Equal(0, (await RunAsync("apikey", "revoke", "--website", website, "--key", third)).Code);
        var again = await RunAsync("apikey", "revoke", "--website", website, "--key", firstId);
        Assert.Equal(0, again.Code);
        Assert.Contains("was already revoked", again.Output, StringComparison.Ordinal);

        await using (var hub = new HubApplicationFactory(Web.Infrastructure.Data.DatabaseProvider.Sqlite, Configuration["ConnectionStrings:Hub"]!, _directory))
        {
            foreach (var key in new[] { first, second, third })
            {
                Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await StatusAsync(hub, key));
            }

            await using var scope = hub.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<Web.Infrastructure.Tenancy.TenantContext>().Use(Guid.Parse(website));
            var audit = await scope.ServiceProvider.GetRequiredService<Web.Infrastructure.Data.HubDbContext>()
                .Set<Web.Features.Audit.AuditEntry>().OrderBy(a => a.Id).Select(a => new { a.Actor, a.Action, a.Details }).ToListAsync();
            Assert.Equal(
                ["apikey.created first", "apikey.created second", "apikey.created third", "apikey.revoked first", "apikey.revoked second", "apikey.revoked third"],
                audit.Select(a => $"{a.Action} {a.Details}"));
            Assert.All(audit, a => Assert.Equal("cli", a.Actor));
        }
    }

    private static string LastLine(string output) => output.TrimEnd().Split('\n')[^1];

    /// <summary>The visible part of a key, <c>ihk_abc123</c>.</summary>
    private static string Prefix(string key) => key[..key.LastIndexOf('_')];

    private static async Task<System.Net.HttpStatusCode> StatusAsync(HubApplicationFactory hub, string key)
    {
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return (await client.GetAsync("/api/v1/tenant")).StatusCode;
    }

    [Fact]
    public async Task AdminCreate_ThenMigrate_Succeed()
    {
        Assert.Equal(0, (await RunAsync("admin", "create", "--email", "root@hub.example", "--password", "Long-enough-pass-1")).Code);
        Assert.Equal(0, (await RunAsync("migrate")).Code);
    }

    [Fact]
    public async Task AdminList_PrintsEveryAdministratorOnce_NotOtherUsers()
    {
        Assert.Equal(string.Empty, (await RunAsync("admin", "list")).Output);
        Assert.Equal(0, (await RunAsync("admin", "create", "--email", "zed@hub.example", "--password", "Long-enough-pass-1")).Code);
        Assert.Equal(0, (await RunAsync("admin", "create", "--email", "ann@hub.example", "--password", "Long-enough-pass-1")).Code);
        // Promoting again changes nothing; a member of a website is not an administrator.
        Assert.Equal(0, (await RunAsync("admin", "create", "--email", "ann@hub.example", "--password", "Long-enough-pass-1")).Code);
        var website = Guid.NewGuid();
        await RunAsync("tenant", "add", "--website", website.ToString(), "--name", "Acme");
        await using (var hub = new HubApplicationFactory(Web.Infrastructure.Data.DatabaseProvider.Sqlite, Configuration["ConnectionStrings:Hub"]!, _directory))
        {
            await new TestData(hub.Services).UserAsync("owner@acme.example", website);
        }

        var list = await RunAsync("admin", "list");

        Assert.Equal(0, list.Code);
        Assert.Equal("ann@hub.example\tactive\nzed@hub.example\tactive\n", list.Output);
    }

    [Fact]
    public async Task AdminCreate_WeakPassword_FailsWithReason()
    {
        var result = await RunAsync("admin", "create", "--email", "root@hub.example", "--password", "short");
        Assert.Equal(1, result.Code);
        Assert.Contains("Passwords must be at least 12 characters", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("tenant")]
    [InlineData("tenant", "add", "--name", "no website")]
    [InlineData("tenant", "add", "--website", "not-a-uuid", "--name", "x")]
    [InlineData("apikey", "create", "--website")]
    [InlineData("tenant", "add", "--website", "6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01", "--name", "")]
    [InlineData("tenant", "add", "--website", "6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01", "--name", "   ")]
    [InlineData("tenant", "add", "--website", "00000000-0000-0000-0000-000000000000", "--name", "Zero")]
    [InlineData("tenant", "add", "--website", "6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01", "--name", "Acme\tActive")]
    [InlineData("apikey", "create", "--website", "6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01", "--name", "back\nend")]
    [InlineData("apikey", "create", "--website", "6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01", "--name", "")]
    [InlineData("apikey", "create", "--website", "00000000-0000-0000-0000-000000000000", "--name", "backend")]
    [InlineData("deliveries", "replay", "--website", "00000000-0000-0000-0000-000000000000", "--all-dead")]
    [InlineData("deliveries", "stats", "--website", "00000000-0000-0000-0000-000000000000")]
    [InlineData("apikey", "list")]
    [InlineData("admin", "list", "--email", "x@example.com")]
    [InlineData("apikey", "list", "--website", "not-a-uuid")]
    [InlineData("apikey", "list", "--website", "00000000-0000-0000-0000-000000000000")]
    [InlineData("apikey", "revoke", "--website", "6a1f8f10-2b7e-4c1d-9d55-5b3c8f2d9e01")]
    [InlineData("apikey", "revoke", "--key", "ihk_abc")]
    public async Task UnknownVerbOrBadArguments_PrintUsageAndExit2(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.Equal(HubCommandLine.UsageError, result.Code);
        Assert.Contains("Usage:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task TenantAdd_NameTooLong_PrintsUsageAndExit2()
    {
        var result = await RunAsync("tenant", "add", "--website", Guid.NewGuid().ToString(), "--name", new string('a', 201));

        Assert.Equal(HubCommandLine.UsageError, result.Code);
        Assert.Contains("--name must be at most 200 characters.", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_PrintsUsageAndExit0(string flag)
    {
        Assert.True(HubCommandLine.IsCommand([flag]));
        var result = await RunAsync(flag);

        Assert.Equal(0, result.Code);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenant", "--help")]
    [InlineData("deliveries", "-h")]
    [InlineData("tenant", "add", "--help")]
    public async Task VerbHelp_PrintsItsHelpAndExits0(params string[] args)
    {
        var result = await RunAsync(args);

        Assert.Equal(0, result.Code);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public void HostOptions_StillStartTheServer() => Assert.False(HubCommandLine.IsCommand(["--urls", "http://localhost:5099"]));

    [Fact]
    public async Task DeliveriesStats_UnknownWebsite_SaysSoAndFails()
    {
        var website = Guid.NewGuid();
        var result = await RunAsync("deliveries", "stats", "--website", website.ToString());

        Assert.Equal(1, result.Code);
        Assert.Contains($"Website {website:D} is not a tenant.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliveriesStats_WebsiteWithoutCalls_StillGetsItsLine()
    {
        var website = Guid.NewGuid();
        await RunAsync("tenant", "add", "--website", website.ToString(), "--name", "Quiet");

        var result = await RunAsync("deliveries", "stats", "--website", website.ToString());

        Assert.Equal(0, result.Code);
        Assert.StartsWith($"{website:D}\tno calls\tbudget_factor=1.00 backoff_until=none", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliveriesStats_PrintsBudgetFactorAndBackoffPerTenant()
    {
        var website = Guid.NewGuid();
        await RunAsync("tenant", "add", "--website", website.ToString(), "--name", "Acme");
        await using (var hub = new HubApplicationFactory(Web.Infrastructure.Data.DatabaseProvider.Sqlite, Configuration["ConnectionStrings:Hub"]!, _directory))
        await using (var scope = hub.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<Web.Infrastructure.Tenancy.TenantContext>().Use(website);
            var db = scope.ServiceProvider.GetRequiredService<Web.Infrastructure.Data.HubDbContext>();
            scope.ServiceProvider.GetRequiredService<Web.Features.Delivery.CrispCallOutbox>().Enqueue(Web.Features.Delivery.CrispCallKinds.PeopleDataMerge, new { email = "a@acme.example", data = new { plan = "pro" } }, "a@acme.example");
            await db.SaveChangesAsync();
        }

        var result = await RunAsync("deliveries", "stats", "--website", website.ToString());

        Assert.Equal(0, result.Code);
        Assert.Contains($"{website:D}\tqueued=1\tbudget_factor=1.00 backoff_until=none", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Database:Provider", "Postgress", "'Postgress' at 'Database:Provider'")]
    [InlineData("Database:StartupWaitSeconds", "soon", "'soon' at 'Database:StartupWaitSeconds'")]
    public async Task SettingOfTheWrongType_NamesTheKeyAndExits1WithoutStackTrace(string key, string value, string message)
    {
        var error = new StringWriter();
        var settings = Configuration;
        settings[key] = value;

        var code = await HubCommandLine.RunAsync(["tenant", "list"], new StringWriter(), error, settings);

        Assert.Equal(1, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerProviderWithoutConnectionString_SaysSoAndExits1()
    {
        var error = new StringWriter();
        var settings = Configuration;
        settings["Database:Provider"] = "Postgres";
        settings["ConnectionStrings:Hub"] = "";

        var code = await HubCommandLine.RunAsync(["migrate"], new StringWriter(), error, settings);

        Assert.Equal(1, code);
        Assert.Equal("Database:Provider is Postgres but ConnectionStrings:Hub is not set.", error.ToString().Trim());
    }

    [Fact]
    public async Task MalformedConnectionString_SaysSoInOneLineAndExits1()
    {
        var error = new StringWriter();
        var settings = Configuration;
        settings["Database:Provider"] = "Postgres";
        settings["ConnectionStrings:Hub"] = "Host=127.0.0.1;Pasword=secret-5521";

        var code = await HubCommandLine.RunAsync(["migrate"], new StringWriter(), error, settings);

        Assert.Equal(1, code);
        Assert.StartsWith("ConnectionStrings:Hub is not a valid Postgres connection string: Couldn't set pasword", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-5521", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgresRefusingThePassword_SaysSoInOneLineAndExits1()
    {
        var error = new StringWriter();
        var settings = Configuration;
        settings["Database:Provider"] = "Postgres";
        settings["ConnectionStrings:Hub"] = new Npgsql.NpgsqlConnectionStringBuilder(PostgresHubFixture.ServerConnectionString) { Password = "not-the-password-5521" }.ConnectionString;

        var code = await HubCommandLine.RunAsync(["migrate"], new StringWriter(), error, settings);

        Assert.Equal(1, code);
        Assert.StartsWith("The database refused the hub: wrong user name or password (PostgreSQL at ", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-5521", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenant", "list")]
    [InlineData("admin", "create", "--email", "root@hub.example", "--password", "a-long-Passw0rd")]
    [InlineData("deliveries", "stats")]
    [InlineData("keys", "verify")]
    public async Task VerbOnAnUnmigratedPostgresDatabase_SaysToMigrateInOneLineAndExits1(params string[] args)
    {
        var database = new ThrowawayPostgresDatabase("hub_cli_");
        await database.CreateAsync();
        try
        {
            var error = new StringWriter();
            var settings = Configuration;
            settings["Database:Provider"] = "Postgres";
            settings["ConnectionStrings:Hub"] = database.ConnectionString;

            var code = await HubCommandLine.RunAsync(args, new StringWriter(), error, settings);

            Assert.Equal(1, code);
            Assert.StartsWith("The database lacks ", error.ToString(), StringComparison.Ordinal);
            Assert.Contains("run the migrate verb with the same settings or apply db/postgres/migrations.sql", error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await database.DropAsync();
        }
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await HubCommandLine.RunAsync(args, output, error, Configuration);
        return (code, output.ToString().Replace("\r", string.Empty, StringComparison.Ordinal), error.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
