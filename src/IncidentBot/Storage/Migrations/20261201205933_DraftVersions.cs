using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IncidentBot.Storage.Migrations
{
    /// <inheritdoc />
    public partial class DraftVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_PostMortems",
                table: "PostMortems");

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "PostMortems",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddPrimaryKey(
                name: "PK_PostMortems",
                table: "PostMortems",
                columns: new[] { "IncidentId", "Version" });

            migrationBuilder.CreateTable(
                name: "ChannelBackfills",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IncidentId = table.Column<int>(type: "INTEGER", nullable: false),
                    ChannelId = table.Column<string>(type: "TEXT", nullable: false),
                    From = table.Column<DateTime>(type: "TEXT", nullable: false),
                    To = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DoneAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChannelBackfills", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChannelBackfills_Incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "Incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ChannelBackfills_IncidentId",
                table: "ChannelBackfills",
                column: "IncidentId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChannelBackfills");

            migrationBuilder.DropPrimaryKey(
                name: "PK_PostMortems",
                table: "PostMortems");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "PostMortems");

            migrationBuilder.AddPrimaryKey(
                name: "PK_PostMortems",
                table: "PostMortems",
                column: "IncidentId");
        }
    }
}
