using System.Data.Common;

namespace IncidentBot.Storage;

/// <summary>Named parameters for the hand-written statements of the hot path; @name is understood by SQLite and Npgsql alike.</summary>
public static class DbCommandParameters
{
    /// <summary>
    /// Adds <paramref name="name"/> as <c>@name</c>. The prefix is what the statement says: Microsoft.Data.Sqlite looks
    /// a bare name up once as given and then once per prefix it knows, a native call and a string each, per
    /// parameter per execution (a profile of the ingest bench found it a twentieth of the bot's CPU).
    /// </summary>
    public static DbCommand AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name.StartsWith('@') ? name : "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
