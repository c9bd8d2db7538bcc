using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IncidentBot.Storage;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the bot (and without Slack settings).</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<IncidentBotDbContext>
{
    public IncidentBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IncidentBotDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
