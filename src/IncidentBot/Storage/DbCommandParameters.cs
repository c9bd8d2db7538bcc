using System.Data.Common;

namespace IncidentBot.Storage;

/// <summary>Named parameters for the hand-written statements of the hot path; @name is understood by SQLite and Npgsql alike.</summary>
public static class DbCommandParameters
{
    /// <summary>
    /// Adds a parameter named exactly as the statement spells it, prefix included (<c>@name</c>): Microsoft.Data.Sqlite
    /// looks a bare name up once as given and then once per prefix it knows, a native call and a string each, per
    /// parameter per execution (a profile of the ingest bench found it a twentieth of the bot's CPU).
    /// </summary>
    public static DbCommand AddParameter(this DbCommand command, string name, object? value)
    {
        if (!name.StartsWith('@'))
        {
            throw new ArgumentException($"A parameter is named as the statement spells it, with its '@': {name}", nameof(name));
        }

        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
