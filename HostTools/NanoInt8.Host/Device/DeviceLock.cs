using System.Globalization;
using System.Text;

namespace NanoInt8.Host.Device
{
    /// <summary>
    /// One user of a device at a time. A user holds an exclusive operating-system lock on a lock file
    /// (a <see cref="FileShare.None"/> open: <c>flock</c> on Linux and macOS, a share lock on
    /// Windows), which the system releases when the process ends however it ends, so a crash leaves
    /// no stale lock. Beside it an owner file says who holds the lock (process id, command, since
    /// when) for the message the next user gets.
    /// </summary>
    /// <remarks>
    /// The emulated board keeps its lock in its flash folder (<see cref="ForFolder"/>); a serial
    /// port's lock is named after the port's real path (symbolic links such as socat's resolved) in
    /// a folder of the temporary directory shared by every user (<see cref="ForPort"/>). Only
    /// programs that take the same lock see it: another terminal program on the port is not stopped,
    /// though the serial driver usually refuses a second open.
    /// </remarks>
    public sealed class DeviceLock : IDisposable
    {
        // Where every user's hosttool locks serial ports, like /tmp itself: writable by all, sticky.
        private static readonly string s_portLocks = Path.Combine(Path.GetTempPath(), "nanoint8-locks");

        private readonly FileStream _lock;
        private readonly string _ownerPath;

        private DeviceLock(FileStream lockFile, string ownerPath)
        {
            _lock = lockFile;
            _ownerPath = ownerPath;
        }

        /// <summary>The lock file of the device whose files live in <paramref name="folder"/> (the emulated board's flash).</summary>
        public static string ForFolder(string folder) => Path.Combine(folder, "device.lock");

        /// <summary>The lock file of serial port <paramref name="portName"/>.</summary>
        public static string ForPort(string portName)
        {
            ArgumentException.ThrowIfNullOrEmpty(portName);
            string target = portName;
            if (!OperatingSystem.IsWindows())
            {
                try
                {
                    target = new FileInfo(portName).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(portName);
                }
                catch (IOException)
                {
                    target = Path.GetFullPath(portName);
                }
            }

            StringBuilder name = new StringBuilder();
            foreach (char character in target.ToLowerInvariant())
            {
                name.Append(char.IsAsciiLetterOrDigit(character) ? character : '_');
            }

            return Path.Combine(s_portLocks, name + ".lock");
        }

        /// <summary>Takes the lock, or says who holds it.</summary>
        /// <param name="lockPath">The lock file (<see cref="ForFolder"/>, <see cref="ForPort"/>); its folder is created.</param>
        /// <param name="device">The device, for the message: "the serial port /dev/ttyUSB0", "the emulated board esp32-devkitc".</param>
        /// <param name="command">What this process is doing, for the next user's message.</param>
        /// <exception cref="DeviceBusyException">Another process holds the lock.</exception>
        public static DeviceLock Acquire(string lockPath, string device, string command)
        {
            ArgumentException.ThrowIfNullOrEmpty(lockPath);
            ArgumentNullException.ThrowIfNull(device);
            ArgumentNullException.ThrowIfNull(command);
            string ownerPath = Path.ChangeExtension(lockPath, ".owner");
            CreateFolder(Path.GetDirectoryName(lockPath)!);
            FileStream lockFile;
            try
            {
                lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new DeviceBusyException(device, ReadOwner(ownerPath), exception);
            }

            AllowEveryone(lockPath);
            string owner = string.Create(CultureInfo.InvariantCulture,
                $"{Environment.ProcessId}\n{command}\n{DateTime.Now:yyyy-MM-dd HH:mm:ss}\n");
            try
            {
                File.WriteAllText(ownerPath, owner);
                AllowEveryone(ownerPath);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Only the next user's message loses the details; the lock itself holds.
            }

            return new DeviceLock(lockFile, ownerPath);
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose()
        {
            try
            {
                File.Delete(_ownerPath);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A stale owner file is harmless: the next holder overwrites it.
            }

            _lock.Dispose();
        }

        private static LockOwner? ReadOwner(string ownerPath)
        {
            try
            {
                string[] lines = File.ReadAllText(ownerPath).Split('\n');
                return lines.Length >= 3 && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out int processId)
                    ? new LockOwner(processId, lines[1], lines[2])
                    : null;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static void CreateFolder(string folder)
        {
            if (Directory.Exists(folder))
            {
                return;
            }

            Directory.CreateDirectory(folder);
            if (!OperatingSystem.IsWindows() && IsShared(folder))
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit);
            }
        }

        private static bool IsShared(string folder) => Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) == s_portLocks.TrimEnd(Path.DirectorySeparatorChar);

        private static void AllowEveryone(string path)
        {
            if (OperatingSystem.IsWindows() || !IsShared(Path.GetDirectoryName(path)!))
            {
                return;
            }

            try
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another user's file: it keeps its mode.
            }
        }
    }

    /// <summary>Who holds a <see cref="DeviceLock"/>, as its owner file says.</summary>
    /// <param name="ProcessId">The holder's process id.</param>
    /// <param name="Command">What the holder is doing (its command line).</param>
    /// <param name="Since">When it took the lock, local time.</param>
    public sealed record LockOwner(int ProcessId, string Command, string Since);

    /// <summary>A device (serial port, emulated board) another process is using.</summary>
    public sealed class DeviceBusyException : DeviceException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="device">The device: "the serial port /dev/ttyUSB0", "the emulated board esp32-devkitc".</param>
        /// <param name="owner">Who holds it, when known.</param>
        /// <param name="innerException">The failed lock.</param>
        public DeviceBusyException(string device, LockOwner? owner, Exception? innerException = null)
            : base(Describe(device, owner), innerException)
        {
            Owner = owner;
        }

        /// <summary>Who holds the device, when known.</summary>
        public LockOwner? Owner { get; }

        private static string Describe(string device, LockOwner? owner) => owner is null
            ? $"{char.ToUpperInvariant(device[0])}{device[1..]} is in use by another hosttool; wait for it to finish."
            : $"{char.ToUpperInvariant(device[0])}{device[1..]} is in use by process {owner.ProcessId.ToString(CultureInfo.InvariantCulture)} ('{owner.Command}', since {owner.Since}); wait for it to finish or stop it.";
    }
}
