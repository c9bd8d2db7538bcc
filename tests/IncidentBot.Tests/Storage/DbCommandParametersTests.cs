using IncidentBot.Storage;
using Microsoft.Data.Sqlite;

namespace IncidentBot.Tests.Storage;

/// <summary>The hot path's parameters are named as their statements spell them; a bare name is a mistake, refused.</summary>
public sealed class DbCommandParametersTests
{
    [Fact]
    public async Task A_parameter_named_as_the_statement_spells_it_is_bound()
    {
        // Arrange
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT @text || '/' || coalesce(@missing, 'null')";

        // Act
        command.AddParameter("@text", "kept").AddParameter("@missing", null);

        // Assert
        Assert.Equal("kept/null", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_bare_name_is_refused_and_adds_nothing()
    {
        // Arrange
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await using var command = connection.CreateCommand();

        // Act
        var refused = Assert.Throws<ArgumentException>(() => command.AddParameter("text", "kept"));

        // Assert
        Assert.Contains("'@'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(command.Parameters);
    }
}
