namespace NanoInt8.Device
{
    /// <summary>
    /// Fixed numbers of the serial protocol, version 1 (docs/serial-protocol.md). This class and
    /// that document change together.
    /// </summary>
    public static class Protocol
    {
        /// <summary>The protocol version this code speaks (HELLO, INFO).</summary>
        public const int Version = 1;

        /// <summary>Most data bytes in one CHUNK or INPUT: a full payload minus the u32 offset.</summary>
        public const int MaxChunkData = FrameCodec.MaxPayloadLength - 4;

        /// <summary>
        /// Most data bytes a READ or OUTPUT may ask for, and most output bytes INFER_RESULT and
        /// SENSOR_RESULT carry (the rest of the payload is their fixed fields).
        /// </summary>
        public const int MaxDataLength = 500;

        /// <summary>Largest transfer window a device offers in LOAD_ACK.</summary>
        public const int MaxWindow = 8;

        /// <summary>Longest board name INFO carries, in ASCII bytes.</summary>
        public const int MaxBoardNameLength = 64;

        /// <summary>Ticks (100 ns) in one millisecond: SENSOR periods are in milliseconds.</summary>
        public const long TicksPerMillisecond = 10000;
    }
}
