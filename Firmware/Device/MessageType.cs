namespace NanoInt8.Device
{
    /// <summary>
    /// The type byte of a frame (docs/serial-protocol.md, "Messages"). Requests go from the host
    /// to the device; a response has the request's type with bit 7 set, except INFO (0x81 answers
    /// both HELLO and INFO), SENSOR_RESULT and ERROR.
    /// </summary>
    public static class MessageType
    {
        /// <summary>Bit 7: set in every type the device sends. The device never answers such a frame.</summary>
        public const int ResponseFlag = 0x80;

        /// <summary>HELLO: u16 host protocol version. Answered with <see cref="InfoReply"/>.</summary>
        public const int Hello = 0x01;

        /// <summary>INFO: empty. Answered with <see cref="InfoReply"/>.</summary>
        public const int Info = 0x02;

        /// <summary>LOAD: the model's 64-byte header. Answered with <see cref="LoadAck"/>.</summary>
        public const int Load = 0x03;

        /// <summary>CHUNK: u32 offset, 1 .. maxChunk data bytes. Answered with <see cref="ChunkAck"/>.</summary>
        public const int Chunk = 0x04;

        /// <summary>COMMIT: empty. Answered with <see cref="CommitAck"/>.</summary>
        public const int Commit = 0x05;

        /// <summary>INFER: u16 resultBytes, then all inputs concatenated, or nothing after INPUT. Answered with <see cref="InferResult"/>.</summary>
        public const int Infer = 0x06;

        /// <summary>BENCH: u16 runs. Answered with <see cref="BenchResult"/>.</summary>
        public const int Bench = 0x07;

        /// <summary>READ: u32 offset, u16 length. Answered with <see cref="ReadData"/>.</summary>
        public const int Read = 0x08;

        /// <summary>RESET: empty. Answered with <see cref="ResetAck"/>.</summary>
        public const int Reset = 0x09;

        /// <summary>INPUT: u32 offset, input bytes. Answered with <see cref="InputAck"/>.</summary>
        public const int Input = 0x0A;

        /// <summary>OUTPUT: u32 offset, u16 length. Answered with <see cref="OutputData"/>.</summary>
        public const int Output = 0x0B;

        /// <summary>SENSOR: u8 enable, u32 period in milliseconds. Answered with <see cref="SensorAck"/>.</summary>
        public const int Sensor = 0x0C;

        /// <summary>INFO response to HELLO and INFO (the INFO table of the spec).</summary>
        public const int InfoReply = 0x81;

        /// <summary>LOAD_ACK: u32 receivedUpTo, the 16-byte received-blocks bitmap, u16 maxChunk, u16 blockBytes, u16 windowBytes.</summary>
        public const int LoadAck = 0x83;

        /// <summary>CHUNK_ACK: u32 receivedUpTo and the 16-byte received-blocks bitmap.</summary>
        public const int ChunkAck = 0x84;

        /// <summary>COMMIT_ACK: u32 model CRC.</summary>
        public const int CommitAck = 0x85;

        /// <summary>INFER_RESULT: u64 elapsed ticks, u32 total output bytes, the first output bytes (at most resultBytes).</summary>
        public const int InferResult = 0x86;

        /// <summary>BENCH_RESULT: u16 runs, u64 total ticks, u64 fastest, u64 slowest.</summary>
        public const int BenchResult = 0x87;

        /// <summary>READ_DATA: u32 offset, bytes of the stored model.</summary>
        public const int ReadData = 0x88;

        /// <summary>RESET_ACK: empty.</summary>
        public const int ResetAck = 0x89;

        /// <summary>INPUT_ACK: u32 receivedUpTo.</summary>
        public const int InputAck = 0x8A;

        /// <summary>OUTPUT_DATA: u32 offset, output bytes.</summary>
        public const int OutputData = 0x8B;

        /// <summary>SENSOR_ACK: u8 enabled, u32 period.</summary>
        public const int SensorAck = 0x8C;

        /// <summary>SENSOR_RESULT, unsolicited, sequence 0: u32 run number, u64 elapsed ticks, output bytes.</summary>
        public const int SensorResult = 0xC0;

        /// <summary>ERROR: u16 error code (<see cref="ProtocolError"/>), u8 request type, u32 detail.</summary>
        public const int Error = 0xFF;
    }
}
