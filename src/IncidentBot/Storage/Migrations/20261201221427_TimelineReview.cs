using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IncidentBot.Storage.Migrations
{
    /// <inheritdoc />
    public partial class TimelineReview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OriginalText",
                table: "TimelineEntries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Removed",
                table: "TimelineEntries",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReviewedAt",
                table: "TimelineEntries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TimelineRevisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IncidentId = table.Column<int>(type: "INTEGER", nullable: false),
                    EntryId = table.Column<long>(type: "INTEGER", nullable: false),
                    Change = table.Column<string>(type: "TEXT", nullable: false),
                    ByUserId = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    BeforeText = table.Column<string>(type: "TEXT", nullable: true),
                    BeforeOccurredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    BeforeSection = table.Column<string>(type: "TEXT", nullable: true),
                    AfterText = table.Column<string>(type: "TEXT", nullable: true),
                    AfterOccurredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AfterSection = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TimelineRevisions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TimelineRevisions_IncidentId_EntryId",
                table: "TimelineRevisions",
                columns: new[] { "IncidentId", "EntryId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TimelineRevisions");

            migrationBuilder.DropColumn(
                name: "OriginalText",
                table: "TimelineEntries");

            migrationBuilder.DropColumn(
                name: "Removed",
                table: "TimelineEntries");

            migrationBuilder.DropColumn(
                name: "ReviewedAt",
                table: "TimelineEntries");
        }
    }
}
