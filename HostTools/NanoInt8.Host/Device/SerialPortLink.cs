using System.IO.Ports;

namespace NanoInt8.Host.Device
{
    /// <summary>
    /// A serial port (System.IO.Ports) as an <see cref="ISerialLink"/>: 8N1, no handshake, the baud
    /// the caller gives. Works with USB-serial adapters and with socat's pseudo-terminals on Linux.
    /// </summary>
    /// <remarks>
    /// DTR and RTS are left alone: setting them throws on a pseudo-terminal, and on many ESP32
    /// boards they are wired to EN and GPIO0, so toggling them would reset the board. The driver's
    /// exceptions are translated: opening fails with <see cref="SerialPortUnavailableException"/>,
    /// a port that disappears while in use (adapter unplugged, socat ended; System.IO.Ports then
    /// throws ObjectDisposedException although IsOpen still says true) with
    /// <see cref="SerialLinkClosedException"/>.
    /// </remarks>
    public sealed class SerialPortLink : ISerialLink
    {
        /// <summary>The boards' model-link speed (boards/*.json): 921600 baud.</summary>
        public const int DefaultBaud = 921600;

        // Writes never wait this long on a line without flow control; when they do, the port is stuck.
        private const int WriteTimeoutMilliseconds = 5000;

        private SerialPort _port;
        private int _readTimeout = -2;

        private SerialPortLink(string portName, int baud, SerialPort port)
        {
            Name = portName;
            Baud = baud;
            _port = port;
        }

        /// <inheritdoc />
        public string Name { get; }

        /// <summary>The baud rate the port was opened with (a pseudo-terminal ignores it).</summary>
        public int Baud { get; }

        /// <inheritdoc />
        public bool CanReopen => true;

        /// <summary>
        /// The serial ports the operating system lists. Pseudo-terminals (socat's, /dev/pts/N) are
        /// not listed on Linux, but can still be opened by their path.
        /// </summary>
        public static IReadOnlyList<string> GetPortNames()
        {
            return SerialPort.GetPortNames().Order(StringComparer.Ordinal).ToArray();
        }

        /// <summary>Opens <paramref name="portName"/> at <paramref name="baud"/>, 8N1, no handshake.</summary>
        /// <exception cref="SerialPortUnavailableException">The port does not exist, is busy or access is denied.</exception>
        public static SerialPortLink Open(string portName, int baud)
        {
            ArgumentException.ThrowIfNullOrEmpty(portName);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baud);
            return new SerialPortLink(portName, baud, OpenPort(portName, baud));
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            try
            {
                if (timeoutMilliseconds <= 0)
                {
                    if (_port.BytesToRead == 0)
                    {
                        return 0;
                    }

                    timeoutMilliseconds = 1;
                }

                if (timeoutMilliseconds != _readTimeout)
                {
                    _port.ReadTimeout = timeoutMilliseconds;
                    _readTimeout = timeoutMilliseconds;
                }

                return _port.Read(buffer, offset, count);
            }
            catch (TimeoutException)
            {
                return 0;
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException)
            {
                throw new SerialLinkClosedException(Name, exception);
            }
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            ArgumentNullException.ThrowIfNull(buffer);
            try
            {
                _port.Write(buffer, offset, count);
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException or TimeoutException)
            {
                throw new SerialLinkClosedException(Name, exception);
            }
        }

        /// <inheritdoc />
        public void Reopen()
        {
            ClosePort(_port);
            _readTimeout = -2;
            _port = OpenPort(Name, Baud);
        }

        /// <summary>Closes the port.</summary>
        public void Dispose()
        {
            ClosePort(_port);
        }

        private static SerialPort OpenPort(string portName, int baud)
        {
            if (!OperatingSystem.IsWindows() && !File.Exists(portName))
            {
                throw new SerialPortUnavailableException(portName,
                    $"The serial port {portName} does not exist; is the board plugged in? 'hosttool ports' lists the ports (socat's pseudo-terminals are not listed, give their path).");
            }

            SerialPort port = new SerialPort(portName, baud, Parity.None, 8, StopBits.One)
            {
                Handshake = Handshake.None,
                WriteTimeout = WriteTimeoutMilliseconds,
                ReadTimeout = 100,
            };
            try
            {
                port.Open();
                // Bytes received before this session (answers to an earlier one) are not ours.
                port.DiscardInBuffer();
                return port;
            }
            catch (UnauthorizedAccessException exception)
            {
                port.Dispose();
                throw new SerialPortUnavailableException(portName, DeniedMessage(portName, exception), exception);
            }
            catch (FileNotFoundException exception)
            {
                port.Dispose();
                throw new SerialPortUnavailableException(portName,
                    $"The serial port {portName} does not exist; is the board plugged in? 'hosttool ports' lists the ports.", exception);
            }
            catch (Exception exception) when (exception is IOException or ArgumentException or InvalidOperationException)
            {
                port.Dispose();
                throw new SerialPortUnavailableException(portName,
                    $"The serial port {portName} cannot be opened: {exception.Message.TrimEnd('.')}.", exception);
            }
        }

        /// <summary>
        /// Why opening was refused, from the system's error underneath (errno, as .NET keeps it in
        /// the HResult on Linux and macOS): not a terminal at all, busy, or a permission a user can get.
        /// </summary>
        private static string DeniedMessage(string portName, UnauthorizedAccessException exception)
        {
            const int NotATerminal = 25; // ENOTTY
            const int Busy = 16; // EBUSY
            IOException? cause = exception.InnerException as IOException;
            if (cause?.HResult == NotATerminal)
            {
                return $"{portName} is not a serial port (the system says: {cause.Message.TrimEnd('.')}); 'hosttool ports' lists the serial ports.";
            }

            if (cause?.HResult == Busy)
            {
                return $"The serial port {portName} is busy: another program has it open.";
            }

            string reason = cause is null ? string.Empty : $" (the system says: {cause.Message.TrimEnd('.')})";
            return OperatingSystem.IsWindows() || Environment.IsPrivilegedProcess
                ? $"Access to the serial port {portName} was denied{reason}: another program has it open."
                : $"Access to the serial port {portName} was denied{reason}: another program has it open, or you lack permission (on Linux, join the 'dialout' group and log in again).";
        }

        private static void ClosePort(SerialPort port)
        {
            try
            {
                port.Dispose();
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException)
            {
                // The port is already gone (unplugged, socat ended): nothing left to close.
            }
        }
    }
}
