using Microsoft.EntityFrameworkCore;

namespace IncidentBot.Storage;

/// <summary>
/// <see cref="IncidentBotDbContext"/> on PostgreSQL. EF Core finds a context's migrations by its type, so this type
/// exists to own <c>Storage/Migrations/PostgreSQL</c>; everything else asks for <see cref="IncidentBotDbContext"/>.
/// </summary>
public sealed class PostgreSqlIncidentBotDbContext(DbContextOptions<PostgreSqlIncidentBotDbContext> options) : IncidentBotDbContext(options)
{
    internal override bool IsPostgreSql => true;
}
