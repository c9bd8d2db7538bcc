
namespace IncidentBot.SlackFake.Workspace;

/// <summary>What the bot leaves outside channel history: files, canvases and ephemerals (modals: FakeWorkspace.Views.cs).</summary>
public sealed partial class FakeWorkspace
{
    private readonly Dictionary<string, FakeFile> _files = new(StringComparer.Ordinal);
    private readonly List<FakeCanvas> _canvases = [];
    private readonly List<FakeEphemeralMessage> _ephemerals = [];

    /// <summary>Every file reserved with files.getUploadURLExternal, whether or not it was uploaded or completed.</summary>
    public IReadOnlyList<FakeFile> Files
    {
        get
        {
            lock (_gate)
            {
                return [.. _files.Values];
            }
        }
    }

    public IReadOnlyList<FakeCanvas> Canvases
    {
        get
        {
            lock (_gate)
            {
                return [.. _canvases];
            }
        }
    }

    public IReadOnlyList<FakeEphemeralMessage> Ephemerals
    {
        get
        {
            lock (_gate)
            {
                return [.. _ephemerals];
            }
        }
    }

    public FakeFile? FindFile(string fileId)
    {
        lock (_gate)
        {
            return _files.GetValueOrDefault(fileId);
        }
    }

    internal FakeFile ReserveFile(string userId, string name, long length, string? altText)
    {
        var file = new FakeFile
        {
            Id = _ids.Next("F"),
            Name = name,
            DeclaredLength = length,
            AltText = altText,
            User = userId,
            Created = NowUnixSeconds,
        };
        lock (_gate)
        {
            _files[file.Id] = file;
        }

        return file;
    }

    /// <summary>Stores the bytes POSTed to an upload URL; false when no such file was reserved.</summary>
    internal bool StoreUpload(string fileId, byte[] content)
    {
        lock (_gate)
        {
            if (!_files.TryGetValue(fileId, out var file))
            {
                return false;
            }

            _files[fileId] = file with { Content = [.. content] };
            return true;
        }
    }

    /// <summary>files.completeUploadExternal: a file never uploaded is <c>file_not_found</c>.</summary>
    internal FakeFile CompleteFile(string fileId, string? title, IReadOnlyCollection<string> channelIds)
    {
        lock (_gate)
        {
            if (!_files.TryGetValue(fileId, out var file) || !file.IsUploaded)
            {
                throw new FakeSlackException("file_not_found");
            }

            file = file with
            {
                Title = string.IsNullOrEmpty(title) ? file.Name : title,
                IsCompleted = true,
                SharedIn = file.SharedIn.AddRange(channelIds.Except(file.SharedIn)),
            };
            _files[fileId] = file;
            return file;
        }
    }

    internal FakeCanvas AddCanvas(string? title, string markdown, string? channelId)
    {
        var canvas = new FakeCanvas(_ids.Next("F"), title, markdown, channelId, NowUnixSeconds);
        lock (_gate)
        {
            _canvases.Add(canvas);
        }

        return canvas;
    }

    internal void AddEphemeral(FakeEphemeralMessage message)
    {
        lock (_gate)
        {
            _ephemerals.Add(message);
        }
    }

}
