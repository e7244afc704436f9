using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHub.Web.Infrastructure.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class DropUnusedProductEventEmailIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_product_events_TenantId_Email_OccurredAt",
                table: "product_events");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_product_events_TenantId_Email_OccurredAt",
                table: "product_events",
                columns: new[] { "TenantId", "Email", "OccurredAt" });
        }
    }
}
