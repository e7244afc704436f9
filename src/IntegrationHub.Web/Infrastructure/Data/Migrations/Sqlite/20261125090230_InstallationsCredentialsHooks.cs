using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHub.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InstallationsCredentialsHooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SubscriptionToken",
                table: "tenants");

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "tenants",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "hook_inbox",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WebsiteId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Event = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Payload = table.Column<string>(type: "TEXT", maxLength: 300000, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hook_inbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "plugin_sync_state",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    LastFullSyncStartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastSuccessfulSyncStartedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plugin_sync_state", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "tenant_data_keys",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WrappedKey = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    KekId = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RewrappedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_data_keys", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_tenant_data_keys_tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tenant_secrets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Ciphertext = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_secrets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_tenant_secrets_tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_hook_inbox_DedupKey",
                table: "hook_inbox",
                column: "DedupKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_hook_inbox_ProcessedAt_NextAttemptAt",
                table: "hook_inbox",
                columns: new[] { "ProcessedAt", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_tenant_data_keys_KekId",
                table: "tenant_data_keys",
                column: "KekId");

            migrationBuilder.CreateIndex(
                name: "IX_tenant_secrets_TenantId_Name",
                table: "tenant_secrets",
                columns: new[] { "TenantId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "hook_inbox");

            migrationBuilder.DropTable(
                name: "plugin_sync_state");

            migrationBuilder.DropTable(
                name: "tenant_data_keys");

            migrationBuilder.DropTable(
                name: "tenant_secrets");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "tenants");

            migrationBuilder.AddColumn<string>(
                name: "SubscriptionToken",
                table: "tenants",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);
        }
    }
}
