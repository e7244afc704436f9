using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHub.Web.Infrastructure.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AddDeliveryEngine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "FailedAttempts",
                table: "crisp_calls",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "crisp_people",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Email = table.Column<string>(type: "nvarchar(320)", maxLength: 320, nullable: false),
                    PeopleId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_crisp_people", x => new { x.TenantId, x.Email });
                    table.ForeignKey(
                        name: "FK_crisp_people_tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "plugin_quota",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Used = table.Column<int>(type: "int", nullable: false),
                    PausedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plugin_quota", x => x.Day);
                });

            migrationBuilder.CreateTable(
                name: "tenant_delivery_state",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    WindowLog = table.Column<string>(type: "nvarchar(max)", maxLength: 20000, nullable: false),
                    BudgetFactor = table.Column<double>(type: "float", nullable: false),
                    FactorUpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    BackoffUntil = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ConsecutiveRateLimits = table.Column<int>(type: "int", nullable: false),
                    NextPermitAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    DrainOwner = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    DrainLeaseUntil = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastDrainAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_delivery_state", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_tenant_delivery_state_tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_tenant_delivery_state_LastDrainAt",
                table: "tenant_delivery_state",
                column: "LastDrainAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "crisp_people");

            migrationBuilder.DropTable(
                name: "plugin_quota");

            migrationBuilder.DropTable(
                name: "tenant_delivery_state");

            migrationBuilder.DropColumn(
                name: "FailedAttempts",
                table: "crisp_calls");
        }
    }
}
