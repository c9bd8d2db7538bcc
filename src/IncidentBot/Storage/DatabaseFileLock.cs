namespace IncidentBot.Storage;

/// <summary>
/// SQLite takes one writer process per file, and two bots on one database would both sweep, nudge and publish:
/// <c>&lt;db&gt;.lock</c> is held exclusively for the life of the process. On Linux .NET takes it with <c>flock</c>
/// (FileShare.None), which the kernel drops when the process ends however it ends (even <c>kill -9</c>), so a lock
/// left behind never blocks a restart. DOTNET_SYSTEM_IO_DISABLEFILELOCKING would turn it off: never set it for the
/// bot. The file itself stays: deleting it on the way out would let a starting process lock a file another has
/// just replaced.
/// </summary>
public sealed class DatabaseFileLock(DatabaseLocation location) : IDisposable
{
    private readonly Lock _gate = new();
    private FileStream? _held;

    public string? LockPath => location.FilePath is { } file ? file + ".lock" : null;

    /// <summary>Takes the lock (once; later calls keep it), or says why this process may not use the database.</summary>
    public string? TryAcquire()
    {
        lock (_gate)
        {
            if (_held is not null || LockPath is not { } lockPath)
            {
                return null; // Held already, or an in-memory database no other process can open.
            }

            try
            {
                _held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return null;
            }
            catch (IOException exception) when (exception is not DirectoryNotFoundException)
            {
                return InUse(location.FilePath!, lockPath);
            }
        }
    }

    /// <summary>Takes the lock or stops the start: <see cref="DatabaseInUseException"/>.</summary>
    public void Acquire()
    {
        if (TryAcquire() is { } refusal)
        {
            throw new DatabaseInUseException(refusal);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _held?.Dispose();
            _held = null;
        }
    }

    public static string InUse(string databasePath, string lockPath) =>
        $"The database {databasePath} is in use by another IncidentBot process, which holds {lockPath}. "
        + "SQLite allows exactly one bot per database: find the other with `fuser -v " + lockPath + "` or `lsof " + lockPath + "` "
        + "(or look for another container or replica on the same volume), stop it, or give this one its own ConnectionStrings__IncidentBot.";
}

/// <summary>Another process holds the database (<see cref="DatabaseFileLock"/>).</summary>
public sealed class DatabaseInUseException(string message) : Exception(message);
