using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IncidentBot.Storage.Migrations
{
    /// <inheritdoc />
    public partial class LedgerClaimsStoryAndVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_PostMortems",
                table: "PostMortems");

            migrationBuilder.DropColumn(
                name: "Reported",
                table: "SweepStates");

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "PostMortems",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "ClaimedBy",
                table: "Outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClaimedUntil",
                table: "Outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Description",
                table: "Incidents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DetectedAt",
                table: "Incidents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Impact",
                table: "Incidents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ImpactStartedAt",
                table: "Incidents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Meeting",
                table: "Incidents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "MitigatedAt",
                table: "Incidents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolvedAt",
                table: "Incidents",
                type: "TEXT",
                nullable: true);

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

            migrationBuilder.CreateTable(
                name: "HandledDeliveries",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", nullable: false),
                    Answer = table.Column<string>(type: "TEXT", nullable: true),
                    HandledAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HandledDeliveries", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TimelineEntries_Unfinished",
                table: "TimelineEntries",
                column: "IncidentId",
                filter: "\"Pending\" OR \"EchoPending\"");

            migrationBuilder.CreateIndex(
                name: "IX_ChannelBackfills_IncidentId",
                table: "ChannelBackfills",
                column: "IncidentId");

            migrationBuilder.CreateIndex(
                name: "IX_HandledDeliveries_HandledAt",
                table: "HandledDeliveries",
                column: "HandledAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChannelBackfills");

            migrationBuilder.DropTable(
                name: "HandledDeliveries");

            migrationBuilder.DropIndex(
                name: "IX_TimelineEntries_Unfinished",
                table: "TimelineEntries");

            migrationBuilder.DropPrimaryKey(
                name: "PK_PostMortems",
                table: "PostMortems");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "PostMortems");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "ClaimedUntil",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "Description",
                table: "Incidents");

            migrationBuilder.DropColumn(
                name: "DetectedAt",
                table: "Incidents");

            migrationBuilder.DropColumn(
                name: "Impact",
                table: "Incidents");

            migrationBuilder.DropColumn(
                name: "ImpactStartedAt",
                table: "Incidents");

            migrationBuilder.DropColumn(
                name: "Meeting",
                table: "Incidents");

            migrationBuilder.DropColumn(
                name: "MitigatedAt",
                table: "Incidents");

            migrationBuilder.DropColumn(
                name: "ResolvedAt",
                table: "Incidents");

            migrationBuilder.AddColumn<bool>(
                name: "Reported",
                table: "SweepStates",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_PostMortems",
                table: "PostMortems",
                column: "IncidentId");
        }
    }
}
