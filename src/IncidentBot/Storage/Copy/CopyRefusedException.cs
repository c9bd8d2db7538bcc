namespace IncidentBot.Storage.Copy;

/// <summary>The copy will not run, and nothing was changed: the message says why and what to do instead.</summary>
public sealed class CopyRefusedException(string message) : Exception(message);
