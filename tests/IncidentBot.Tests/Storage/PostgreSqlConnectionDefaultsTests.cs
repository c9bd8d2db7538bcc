using IncidentBot.Storage;
using Npgsql;

namespace IncidentBot.Tests.Storage;

public sealed class PostgreSqlConnectionDefaultsTests
{
    [Fact]
    public void Auto_preparation_a_small_pool_and_no_reset_on_close_unless_the_connection_string_says_otherwise()
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgreSqlConnectionDefaults.Apply("Host=db;Username=bot;Password=secret;Database=incidents"));

        Assert.Equal(PostgreSqlConnectionDefaults.MaxAutoPrepare, applied.MaxAutoPrepare);
        Assert.Equal(PostgreSqlConnectionDefaults.MaxPoolSize, applied.MaxPoolSize);
        Assert.True(applied.NoResetOnClose);
        Assert.Equal(("db", "bot", "secret", "incidents"), (applied.Host, applied.Username, applied.Password, applied.Database));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0")]
    [InlineData("Host=db;MaxAutoPrepare=0")]
    [InlineData("Host=db;max auto prepare=0")]
    public void An_operators_own_setting_is_kept(string connectionString)
    {
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(PostgreSqlConnectionDefaults.Apply(connectionString)).MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=50")]
    [InlineData("Host=db;MaxPoolSize=50")]
    public void An_operators_own_pool_size_is_kept(string connectionString)
    {
        Assert.Equal(50, new NpgsqlConnectionStringBuilder(PostgreSqlConnectionDefaults.Apply(connectionString)).MaxPoolSize);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false")]
    [InlineData("Host=db;NoResetOnClose=false")]
    public void An_operators_own_reset_on_close_is_kept(string connectionString)
    {
        Assert.False(new NpgsqlConnectionStringBuilder(PostgreSqlConnectionDefaults.Apply(connectionString)).NoResetOnClose);
    }
}
