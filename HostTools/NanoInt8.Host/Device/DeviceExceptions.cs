using NanoInt8.Runtime;

namespace NanoInt8.Host.Device
{
    /// <summary>
    /// Base of the failures talking to a device. Each message is one sentence a user can act on;
    /// the command line turns the concrete types into exit codes.
    /// </summary>
    public abstract class DeviceException : Exception
    {
        /// <summary>Creates the exception.</summary>
        protected DeviceException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }
    }

    /// <summary>A serial port that cannot be opened: it does not exist, is busy, or access is denied.</summary>
    public sealed class SerialPortUnavailableException : DeviceException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="portName">The port as given.</param>
        /// <param name="message">A sentence naming the port and the likely cause.</param>
        /// <param name="innerException">What the serial driver said.</param>
        public SerialPortUnavailableException(string portName, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            PortName = portName;
        }

        /// <summary>The port as given.</summary>
        public string PortName { get; }
    }

    /// <summary>
    /// A link that is gone while in use: the port was closed or unplugged, or the process at the other
    /// end (socat, an emulator) ended.
    /// </summary>
    public sealed class SerialLinkClosedException : DeviceException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="linkName">The link's <see cref="ISerialLink.Name"/>.</param>
        /// <param name="innerException">What the driver said, if anything.</param>
        public SerialLinkClosedException(string linkName, Exception? innerException = null)
            : base($"The link to the device on {linkName} is gone (the port was closed or unplugged, or the program at its other end ended).", innerException)
        {
            LinkName = linkName;
        }

        /// <summary>The link's name.</summary>
        public string LinkName { get; }
    }

    /// <summary>The device did not answer a request, even after the retransmissions.</summary>
    public sealed class DeviceTimeoutException : DeviceException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="linkName">The link's <see cref="ISerialLink.Name"/>.</param>
        /// <param name="waitedMilliseconds">How long the host waited in all, retransmissions included.</param>
        public DeviceTimeoutException(string linkName, int waitedMilliseconds)
            : base($"No answer from the device on {linkName} within {waitedMilliseconds} ms; is the firmware running and the wiring right?")
        {
            LinkName = linkName;
            WaitedMilliseconds = waitedMilliseconds;
        }

        /// <summary>The link's name.</summary>
        public string LinkName { get; }

        /// <summary>How long the host waited in all.</summary>
        public int WaitedMilliseconds { get; }
    }

    /// <summary>
    /// The device speaks another protocol version, or answered with something the protocol does not
    /// allow (a response of the wrong type or length).
    /// </summary>
    public sealed class DeviceProtocolException : DeviceException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">A sentence saying what the device sent.</param>
        /// <param name="deviceVersion">The device's protocol version when that is the problem, else null.</param>
        public DeviceProtocolException(string message, int? deviceVersion = null)
            : base(message)
        {
            DeviceVersion = deviceVersion;
        }

        /// <summary>The device's protocol version when it differs from this host's, else null.</summary>
        public int? DeviceVersion { get; }

        /// <summary>The exception for a device speaking <paramref name="deviceVersion"/>.</summary>
        public static DeviceProtocolException VersionMismatch(int deviceVersion)
        {
            return new DeviceProtocolException(
                $"The device speaks protocol version {deviceVersion}, this hosttool speaks {NanoInt8.Device.Protocol.Version}; update the firmware or the host tool so they match.",
                deviceVersion);
        }
    }

    /// <summary>
    /// A model that the device refused (at LOAD or at COMMIT, with its model reader's error code), or
    /// that the host did not send because the device's INFO said it would not fit.
    /// </summary>
    public sealed class ModelRefusedException : DeviceException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="error">The model reader's error code.</param>
        /// <param name="message">A sentence naming the error and what it means.</param>
        /// <param name="refusedByHost">True when the host refused before sending (budget check on INFO).</param>
        public ModelRefusedException(ModelError error, string message, bool refusedByHost)
            : base(message)
        {
            Error = error;
            RefusedByHost = refusedByHost;
        }

        /// <summary>The model reader's error code (docs/model-format.md).</summary>
        public ModelError Error { get; }

        /// <summary>True when the host refused to send the model; false when the device refused it.</summary>
        public bool RefusedByHost { get; }
    }

    /// <summary>
    /// A model transfer that could not be completed: the line kept failing, the device could not
    /// store the model, or its INFO did not confirm it afterwards. The bytes the device acknowledged
    /// stay there: deploying the same model again resumes after them.
    /// </summary>
    public sealed class TransferFailedException : DeviceException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">A sentence saying what failed.</param>
        /// <param name="bytesAcknowledged">Model bytes the device had acknowledged (header included).</param>
        /// <param name="innerException">The failure underneath, if any.</param>
        public TransferFailedException(string message, long bytesAcknowledged, Exception? innerException = null)
            : base(message, innerException)
        {
            BytesAcknowledged = bytesAcknowledged;
        }

        /// <summary>Model bytes the device had acknowledged (header included).</summary>
        public long BytesAcknowledged { get; }
    }

    /// <summary>The device has no model running, or not the model the host expects.</summary>
    public sealed class DeviceModelMismatchException : DeviceException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">A sentence saying what the device runs and what to do.</param>
        public DeviceModelMismatchException(string message)
            : base(message)
        {
        }

        /// <summary>The exception for a device without a model.</summary>
        public static DeviceModelMismatchException NoModel()
        {
            return new DeviceModelMismatchException("The device has no model running; deploy one first (hosttool deploy MODEL.onnx).");
        }
    }

    /// <summary>The device answered a request with an ERROR frame that the host cannot recover from.</summary>
    public sealed class DeviceErrorException : DeviceException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="code">The protocol error code (<see cref="NanoInt8.Device.ProtocolError"/>).</param>
        /// <param name="requestType">The request type the device names.</param>
        /// <param name="detail">The error's detail field.</param>
        /// <param name="message">A sentence saying what the device refused.</param>
        public DeviceErrorException(int code, int requestType, uint detail, string message)
            : base(message)
        {
            Code = code;
            RequestType = requestType;
            Detail = detail;
        }

        /// <summary>The protocol error code (<see cref="NanoInt8.Device.ProtocolError"/>).</summary>
        public int Code { get; }

        /// <summary>The request type the device names.</summary>
        public int RequestType { get; }

        /// <summary>The error's detail field.</summary>
        public uint Detail { get; }
    }
}
