using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace IncidentBot.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Outbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Installation",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    InstallId = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Installation", x => x.Id);
                    table.CheckConstraint("CK_Installation_SingleRow", "\"Id\" = 1");
                });

            migrationBuilder.CreateTable(
                name: "Outbox",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", nullable: false),
                    Token = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChannelId = table.Column<string>(type: "TEXT", nullable: true),
                    SlackId = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Outbox", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "SweepStates",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstQueuedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Reported = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SweepStates", x => x.Key);
                });
            // What the tables and columns dropped below recorded as sent moves into the outbox, so nothing that was
            // posted before the upgrade is posted again. Keys and formats are those the code uses.
            migrationBuilder.Sql("""
                INSERT INTO "Outbox" ("Key", "Token", "CreatedAt", "SentAt", "ChannelId", "SlackId")
                SELECT 'postmortem/' || "IncidentId" || '/' || "Part", lower(hex(randomblob(16))), "PublishedAt", "PublishedAt", "ChannelId", "SlackId"
                FROM "PublishedParts";

                INSERT INTO "Outbox" ("Key", "Token", "CreatedAt", "SentAt", "ChannelId", "SlackId")
                SELECT 'incident/' || n."IncidentId" || '/nudge/' || n."QuietSince", lower(hex(randomblob(16))), n."PostedAt", n."PostedAt", i."ChannelId", n."Ts"
                FROM "Nudges" n JOIN "Incidents" i ON i."Id" = n."IncidentId" WHERE n."Ts" IS NOT NULL;

                INSERT INTO "Outbox" ("Key", "Token", "CreatedAt", "SentAt", "ChannelId", "SlackId")
                SELECT 'timeline/' || e."Id" || '/echo', lower(hex(randomblob(16))), e."RecordedAt", e."RecordedAt", i."ChannelId", e."EchoTs"
                FROM "TimelineEntries" e JOIN "Incidents" i ON i."Id" = e."IncidentId" WHERE e."EchoTs" IS NOT NULL;

                INSERT INTO "Outbox" ("Key", "Token", "CreatedAt", "SentAt", "ChannelId", "SlackId")
                SELECT 'incident/' || "Id" || '/channel', lower(hex(randomblob(16))), "DeclaredAt", "DeclaredAt", "ChannelId", "ChannelName"
                FROM "Incidents" WHERE "HasDedicatedChannel" = 1 AND "ChannelId" IS NOT NULL;

                -- The invite and the topic come before the announcement: an announced incident had both.
                INSERT INTO "Outbox" ("Key", "Token", "CreatedAt", "SentAt", "ChannelId", "SlackId")
                SELECT 'incident/' || i."Id" || '/' || s."Step", lower(hex(randomblob(16))), i."DeclaredAt", i."DeclaredAt", i."ChannelId", NULL
                FROM "Incidents" i CROSS JOIN (SELECT 'invite' AS "Step" UNION ALL SELECT 'topic') s
                WHERE i."HasDedicatedChannel" = 1 AND i."AnnouncementTs" IS NOT NULL;

                INSERT INTO "Outbox" ("Key", "Token", "CreatedAt", "SentAt", "ChannelId", "SlackId")
                SELECT 'incident/' || "Id" || '/announcement', lower(hex(randomblob(16))), "DeclaredAt", "DeclaredAt", "ChannelId", "AnnouncementTs"
                FROM "Incidents" WHERE "AnnouncementTs" IS NOT NULL;

                INSERT INTO "Outbox" ("Key", "Token", "CreatedAt", "SentAt", "ChannelId", "SlackId")
                SELECT 'incident/' || "Id" || '/link', lower(hex(randomblob(16))), "DeclaredAt", "DeclaredAt", "OriginChannelId", NULL
                FROM "Incidents" WHERE "LinkPosted" = 1;
                """);

            migrationBuilder.DropTable(
                name: "Nudges");

            migrationBuilder.DropTable(
                name: "PublishedParts");

            migrationBuilder.DropColumn(
                name: "EchoTs",
                table: "TimelineEntries");

            migrationBuilder.DropColumn(
                name: "AnnouncementTs",
                table: "Incidents");

            migrationBuilder.DropColumn(
                name: "LinkPosted",
                table: "Incidents");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Installation");

            migrationBuilder.DropTable(
                name: "Outbox");

            migrationBuilder.DropTable(
                name: "SweepStates");

            migrationBuilder.AddColumn<string>(
                name: "EchoTs",
                table: "TimelineEntries",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AnnouncementTs",
                table: "Incidents",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "LinkPosted",
                table: "Incidents",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "Nudges",
                columns: table => new
                {
                    IncidentId = table.Column<int>(type: "INTEGER", nullable: false),
                    QuietSince = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PostedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Ts = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Nudges", x => new { x.IncidentId, x.QuietSince });
                    table.ForeignKey(
                        name: "FK_Nudges_Incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "Incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PublishedParts",
                columns: table => new
                {
                    IncidentId = table.Column<int>(type: "INTEGER", nullable: false),
                    Part = table.Column<string>(type: "TEXT", nullable: false),
                    ChannelId = table.Column<string>(type: "TEXT", nullable: true),
                    PublishedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SlackId = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PublishedParts", x => new { x.IncidentId, x.Part });
                    table.ForeignKey(
                        name: "FK_PublishedParts_Incidents_IncidentId",
                        column: x => x.IncidentId,
                        principalTable: "Incidents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }
    }
}
