using NanoInt8.Device;

namespace NanoInt8.Host.Device
{
    /// <summary>
    /// The emulated board's flash: the committed model is <c>model.ni8</c> in a folder. A commit
    /// writes <c>model.new</c>, flushes it to disk, then renames it over <c>model.ni8</c>; the rename
    /// replaces the file atomically, so a crash at any point leaves either the old model or the new
    /// one, never a mixture (a leftover <c>model.new</c> is ignored and overwritten by the next commit).
    /// </summary>
    public sealed class FileModelStore : IModelStore
    {
        /// <summary>The committed model's file name.</summary>
        public const string ModelFileName = "model.ni8";

        /// <summary>The file a commit writes before it replaces the committed model.</summary>
        public const string NewFileName = "model.new";

        /// <summary>Keeps the model in <paramref name="folder"/>, created at the first commit.</summary>
        public FileModelStore(string folder)
        {
            ArgumentException.ThrowIfNullOrEmpty(folder);
            Folder = Path.GetFullPath(folder);
        }

        /// <summary>The store's folder.</summary>
        public string Folder { get; }

        /// <summary>The committed model's path.</summary>
        public string ModelPath => Path.Combine(Folder, ModelFileName);

        /// <summary>The path a commit writes first.</summary>
        public string NewModelPath => Path.Combine(Folder, NewFileName);

        /// <summary>
        /// Why the last commit failed: the file and the operating system's message, e.g.
        /// "/home/u/.nanoint8/emulator/esp32-devkitc/model.new: Permission denied"; null after a
        /// commit that succeeded. The device only reports that storing failed; the host can say why.
        /// </summary>
        public string? LastError { get; private set; }

        /// <summary>The committed model, or null when there is none or it cannot be read.</summary>
        public byte[]? ReadCommitted()
        {
            try
            {
                return File.Exists(ModelPath) ? File.ReadAllBytes(ModelPath) : null;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>Writes <paramref name="blob"/> to <see cref="NewModelPath"/>, then renames it over <see cref="ModelPath"/>; false when that failed.</summary>
        public bool Commit(byte[] blob)
        {
            ArgumentNullException.ThrowIfNull(blob);
            string path = NewModelPath;
            try
            {
                Directory.CreateDirectory(Folder);
                using (FileStream stream = new FileStream(NewModelPath, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    stream.Write(blob);
                    stream.Flush(flushToDisk: true);
                }

                path = ModelPath;
                File.Move(NewModelPath, ModelPath, overwrite: true);
                LastError = null;
                return true;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                LastError = $"{path}: {exception.Message}";
                return false;
            }
        }
    }
}
