using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHub.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RelayClaimsAttemptsAutoReplySlots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClaimedBy",
                table: "relay_deliveries",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LeaseUntil",
                table: "relay_deliveries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ReplayOfId",
                table: "relay_deliveries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MessageFingerprint",
                table: "crisp_calls",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "auto_reply_slots",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Slot = table.Column<int>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_auto_reply_slots", x => new { x.TenantId, x.Slot });
                    table.ForeignKey(
                        name: "FK_auto_reply_slots_tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "relay_delivery_attempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeliveryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    LatencyMs = table.Column<long>(type: "INTEGER", nullable: false),
                    ResponseExcerpt = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_relay_delivery_attempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_relay_delivery_attempts_relay_deliveries_DeliveryId",
                        column: x => x.DeliveryId,
                        principalTable: "relay_deliveries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_crisp_calls_TenantId_MessageFingerprint",
                table: "crisp_calls",
                columns: new[] { "TenantId", "MessageFingerprint" });

            migrationBuilder.CreateIndex(
                name: "IX_relay_delivery_attempts_DeliveryId",
                table: "relay_delivery_attempts",
                column: "DeliveryId");

            migrationBuilder.CreateIndex(
                name: "IX_relay_delivery_attempts_TenantId_DeliveryId_Number",
                table: "relay_delivery_attempts",
                columns: new[] { "TenantId", "DeliveryId", "Number" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "auto_reply_slots");

            migrationBuilder.DropTable(
                name: "relay_delivery_attempts");

            migrationBuilder.DropIndex(
                name: "IX_crisp_calls_TenantId_MessageFingerprint",
                table: "crisp_calls");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "relay_deliveries");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "relay_deliveries");

            migrationBuilder.DropColumn(
                name: "ReplayOfId",
                table: "relay_deliveries");

            migrationBuilder.DropColumn(
                name: "MessageFingerprint",
                table: "crisp_calls");
        }
    }
}
