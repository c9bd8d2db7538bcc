using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IncidentBot.Storage.Migrations.PostgreSQL
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
                    ChannelId = table.Column<string>(type: "text", nullable: false),
                    Ts = table.Column<string>(type: "text", nullable: false),
                    Requests = table.Column<long>(type: "bigint", nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
