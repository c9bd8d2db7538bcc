using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IncidentBot.Storage.Migrations
{
    /// <inheritdoc />
    public partial class CaptureAcknowledgements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CaptureAcknowledgements",
                columns: table => new
                {
                    ChannelId = table.Column<string>(type: "TEXT", nullable: false),
                    Ts = table.Column<string>(type: "TEXT", nullable: false),
                    Requests = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaptureAcknowledgements", x => new { x.ChannelId, x.Ts });
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaptureAcknowledgements_RequestedAt",
                table: "CaptureAcknowledgements",
                column: "RequestedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CaptureAcknowledgements");
        }
    }
}
