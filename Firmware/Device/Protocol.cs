namespace NanoInt8.Device
{
    /// <summary>
    /// Fixed numbers of the serial protocol, version 3 (docs/serial-protocol.md). This class and
    /// that document change together.
    /// </summary>
    public static class Protocol
    {
        /// <summary>
        /// The protocol version this code speaks (HELLO, INFO). Version 2 replaced version 1's
        /// go-back-N model transfer with selective acknowledgement of 32-byte blocks, answers a
        /// repeated request from its cached answer, lets INFER ask for fewer output bytes, can
        /// interrupt an inference with RESET and reports the work budget in INFO. Version 3 lets the
        /// device offer CHUNKs larger than other frames (LOAD_ACK maxChunk up to
        /// <see cref="LargestModelChunk"/>), sized to its serial receive buffer.
        /// </summary>
        public const int Version = 3;

        /// <summary>Most data bytes in one INPUT: a full payload minus the u32 offset.</summary>
        public const int MaxChunkData = FrameCodec.MaxPayloadLength - 4;

        /// <summary>
        /// The unit of a model transfer: a CHUNK starts at a multiple of it and carries whole blocks
        /// (or ends at the model's last byte), and the device acknowledges blocks.
        /// </summary>
        public const int BlockBytes = 32;

        /// <summary>
        /// Model bytes in one CHUNK that every device takes, and the most a host sends before LOAD_ACK
        /// says what the device offers: 15 blocks, the most whole blocks a payload of
        /// <see cref="FrameCodec.MaxPayloadLength"/> holds beside the offset. LOAD_ACK's maxChunk is never less.
        /// </summary>
        public const int BaseModelChunk = (MaxChunkData / BlockBytes) * BlockBytes;

        /// <summary>
        /// The most model bytes LOAD_ACK may offer for one CHUNK: 127 blocks, so a chunk always fits
        /// the <see cref="ReceiveWindowBlocks"/> the device tracks.
        /// </summary>
        public const int LargestModelChunk = (ReceiveWindowBlocks - 1) * BlockBytes;

        /// <summary>
        /// Blocks from the first missing one that the device keeps track of (a bit each): CHUNK data
        /// beyond them is not stored, and CHUNK_ACK describes exactly these blocks.
        /// </summary>
        public const int ReceiveWindowBlocks = 128;

        /// <summary>Bytes of the received-blocks bitmap in LOAD_ACK and CHUNK_ACK.</summary>
        public const int ReceivedBlocksBytes = ReceiveWindowBlocks / 8;

        /// <summary>
        /// The least windowBytes a device offers in LOAD_ACK (its serial receive buffer holds at least
        /// this and <see cref="WindowMarginBytes"/>): a host may have this many wire bytes of CHUNKs in
        /// flight before LOAD_ACK arrives, which covers the LOAD's round trip (at 921,600 baud 22 ms
        /// of line; version 2 allowed 1,024 bytes, 11 ms, and the line idled until the LOAD_ACK came).
        /// </summary>
        public const int MinWindowBytes = 2048;

        /// <summary>
        /// Serial receive buffer a device keeps free of CHUNKs in flight (windowBytes is the buffer
        /// less this) for the small frames a host sends beside them: COMMIT, INFO, RESET.
        /// </summary>
        public const int WindowMarginBytes = 128;

        /// <summary>
        /// CHUNK frames of the largest size a device offers that fit its window: two, so one is on
        /// the line while the answer to the other comes back.
        /// </summary>
        public const int ChunksPerWindow = 2;

        /// <summary>Largest windowBytes a device offers in LOAD_ACK (the u16 field).</summary>
        public const int MaxWindowBytes = 65535;

        /// <summary>
        /// Most data bytes a READ or OUTPUT may ask for, and most output bytes INFER_RESULT and
        /// SENSOR_RESULT carry (the rest of the payload is their fixed fields).
        /// </summary>
        public const int MaxDataLength = 500;

        /// <summary>Longest board name INFO carries, in ASCII bytes.</summary>
        public const int MaxBoardNameLength = 64;

        /// <summary>Ticks (100 ns) in one millisecond: SENSOR periods are in milliseconds.</summary>
        public const long TicksPerMillisecond = 10000;

        /// <summary>INFO's maxWorkPerInference of a device without a work budget.</summary>
        public const uint NoWorkLimit = 0xFFFFFFFF;
    }
}
