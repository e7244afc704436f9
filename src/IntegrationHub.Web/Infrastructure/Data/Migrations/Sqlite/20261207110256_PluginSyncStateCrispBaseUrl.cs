using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IntegrationHub.Web.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PluginSyncStateCrispBaseUrl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CrispBaseUrl",
                table: "plugin_sync_state",
                type: "TEXT",
                maxLength: 400,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CrispBaseUrl",
                table: "plugin_sync_state");
        }
    }
}
