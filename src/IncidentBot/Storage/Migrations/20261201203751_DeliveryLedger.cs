using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IncidentBot.Storage.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Reported",
                table: "SweepStates");

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
                name: "IX_HandledDeliveries_HandledAt",
                table: "HandledDeliveries",
                column: "HandledAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HandledDeliveries");

            migrationBuilder.DropIndex(
                name: "IX_TimelineEntries_Unfinished",
                table: "TimelineEntries");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "ClaimedUntil",
                table: "Outbox");

            migrationBuilder.AddColumn<bool>(
                name: "Reported",
                table: "SweepStates",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }
    }
}
