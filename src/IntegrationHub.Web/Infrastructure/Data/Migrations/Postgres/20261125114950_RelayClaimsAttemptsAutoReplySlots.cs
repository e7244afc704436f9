using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace IntegrationHub.Web.Infrastructure.Data.Migrations.Postgres
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
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LeaseUntil",
                table: "relay_deliveries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ReplayOfId",
                table: "relay_deliveries",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MessageFingerprint",
                table: "crisp_calls",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "auto_reply_slots",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Slot = table.Column<int>(type: "integer", nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    DeliveryId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    StatusCode = table.Column<int>(type: "integer", nullable: true),
                    Error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    LatencyMs = table.Column<long>(type: "bigint", nullable: false),
                    ResponseExcerpt = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
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
