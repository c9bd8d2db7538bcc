using System.Data.Common;

namespace IncidentBot.Storage;

/// <summary>Named parameters for the hand-written statements of the hot path; @name is understood by SQLite and Npgsql alike.</summary>
public static class DbCommandParameters
{
    public static DbCommand AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
