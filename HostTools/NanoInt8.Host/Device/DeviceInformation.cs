using System.Text;
using NanoInt8.Device;

namespace NanoInt8.Host.Device
{
    /// <summary>What a device says about itself in INFO (docs/serial-protocol.md, "INFO").</summary>
    public sealed record DeviceInformation
    {
        /// <summary>The protocol version the device speaks.</summary>
        public required int ProtocolVersion { get; init; }

        /// <summary>Firmware version: major, minor, patch.</summary>
        public required Version FirmwareVersion { get; init; }

        /// <summary>The board name the firmware reports, e.g. "ESP32-DevKitC".</summary>
        public required string BoardName { get; init; }

        /// <summary>Free managed heap in bytes; 0 when the board cannot tell.</summary>
        public required long FreeMemory { get; init; }

        /// <summary>The largest deviceBytes a model may declare.</summary>
        public required long MaxModelBytes { get; init; }

        /// <summary>True when a model is running.</summary>
        public required bool ModelLoaded { get; init; }

        /// <summary>Payload CRC of the running model (its identity), 0 without one.</summary>
        public required uint ModelCrc { get; init; }

        /// <summary>totalLength of the running model.</summary>
        public required long ModelLength { get; init; }

        /// <summary>deviceBytes of the running model.</summary>
        public required long ModelDeviceBytes { get; init; }

        /// <summary>Bytes of all graph inputs together.</summary>
        public required long InputBytes { get; init; }

        /// <summary>Bytes of all graph outputs together.</summary>
        public required long OutputBytes { get; init; }

        /// <summary>The largest deviceBytes + totalLength a model transfer may need.</summary>
        public required long TransferBytes { get; init; }

        /// <summary>Most work units one inference may take on the device (its time budget); long.MaxValue when it sets no limit.</summary>
        public required long MaxWorkPerInference { get; init; }

        /// <summary>Work units of one inference of the running model, 0 without one.</summary>
        public required long ModelWork { get; init; }

        /// <summary>Parses an INFO payload.</summary>
        /// <exception cref="DeviceProtocolException">
        /// The device speaks another protocol version (checked first: every version starts INFO with
        /// it), or the payload does not have the INFO layout.
        /// </exception>
        public static DeviceInformation Parse(byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            if (payload.Length >= 2 && LittleEndian.ReadUInt16(payload, 0) != Protocol.Version)
            {
                throw DeviceProtocolException.VersionMismatch(LittleEndian.ReadUInt16(payload, 0));
            }

            if (payload.Length < 6 || payload.Length != 6 + payload[5] + 41)
            {
                throw new DeviceProtocolException($"The device sent an INFO of {payload.Length} bytes, which does not have the layout of protocol version {Protocol.Version}.");
            }

            uint maxWork = LittleEndian.ReadUInt32(payload, 6 + payload[5] + 33);

            int nameLength = payload[5];
            int at = 6 + nameLength;
            return new DeviceInformation
            {
                ProtocolVersion = LittleEndian.ReadUInt16(payload, 0),
                FirmwareVersion = new Version(payload[2], payload[3], payload[4]),
                BoardName = Encoding.ASCII.GetString(payload, 6, nameLength),
                FreeMemory = LittleEndian.ReadUInt32(payload, at),
                MaxModelBytes = LittleEndian.ReadUInt32(payload, at + 4),
                ModelLoaded = payload[at + 8] != 0,
                ModelCrc = LittleEndian.ReadUInt32(payload, at + 9),
                ModelLength = LittleEndian.ReadUInt32(payload, at + 13),
                ModelDeviceBytes = LittleEndian.ReadUInt32(payload, at + 17),
                InputBytes = LittleEndian.ReadUInt32(payload, at + 21),
                OutputBytes = LittleEndian.ReadUInt32(payload, at + 25),
                TransferBytes = LittleEndian.ReadUInt32(payload, at + 29),
                MaxWorkPerInference = maxWork == Protocol.NoWorkLimit ? long.MaxValue : maxWork,
                ModelWork = LittleEndian.ReadUInt32(payload, at + 37),
            };
        }
    }
}
