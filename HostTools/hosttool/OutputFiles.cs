namespace NanoInt8.HostTool
{
    /// <summary>
    /// How every command writes a file it was asked for (<c>-o</c>, <c>--plot</c>): missing parent
    /// folders are created, as <c>dotnet build -o</c> does; the bytes go to a temporary file next to
    /// the destination that is then renamed over it, so an interrupted command never leaves half a
    /// file; a failure names the path and the operating system's reason.
    /// </summary>
    internal static class OutputFiles
    {
        /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
        /// <exception cref="IOException">The file or a folder above it cannot be written; the message names the path and the reason.</exception>
        public static void Write(string path, byte[] bytes) => Write(path, temporary => File.WriteAllBytes(temporary, bytes));

        /// <summary>Lets <paramref name="write"/> write a temporary file, then renames it to <paramref name="path"/>.</summary>
        /// <exception cref="IOException">The file or a folder above it cannot be written; the message names the path and the reason.</exception>
        public static void Write(string path, Action<string> write)
        {
            ArgumentNullException.ThrowIfNull(path);
            ArgumentNullException.ThrowIfNull(write);
            string full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                throw new UsageException($"The output '{path}' is a folder; name the file to write.");
            }

            string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp{Path.GetExtension(full)}");
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full) ?? ".");
                write(temporary);
                File.Move(temporary, full, overwrite: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                TryDelete(temporary);
                throw new IOException($"Cannot write {path}: {exception.Message.TrimEnd('.')}.", exception);
            }
        }

        /// <summary>Creates <paramref name="path"/> as a folder (and the folders above it) for several output files.</summary>
        /// <exception cref="IOException">The folder cannot be created; the message names the path and the reason.</exception>
        public static void CreateFolder(string path)
        {
            try
            {
                Directory.CreateDirectory(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"Cannot create the folder {path}: {exception.Message.TrimEnd('.')}.", exception);
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Nothing was written there, or it cannot be removed either: the error above says why.
            }
        }
    }
}
