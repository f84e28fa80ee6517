namespace NanoInt8.Host.Device
{
    /// <summary>How far a transfer is, reported through <see cref="IProgress{T}"/> while it runs.</summary>
    /// <param name="TotalBytes">Bytes to transfer in all (the whole model, header included).</param>
    /// <param name="BytesSent">The furthest position sent so far.</param>
    /// <param name="BytesAcknowledged">Bytes the device confirmed; where a resumed transfer would start.</param>
    /// <param name="BytesPerSecond">Acknowledged bytes per second since this transfer (or resume) started.</param>
    /// <param name="EstimatedTimeRemaining">At that speed, the time to the last byte; null before the speed is known.</param>
    /// <param name="Retransmissions">Chunks found lost and sent again so far.</param>
    public readonly record struct TransferProgress(
        long TotalBytes,
        long BytesSent,
        long BytesAcknowledged,
        double BytesPerSecond,
        TimeSpan? EstimatedTimeRemaining,
        int Retransmissions);

    /// <summary>The outcome of <see cref="DeviceClient.Deploy"/>.</summary>
    public sealed record DeployResult
    {
        /// <summary>Bytes of the model (.ni8 totalLength).</summary>
        public required int ModelBytes { get; init; }

        /// <summary>The model's payload CRC, as COMMIT_ACK and INFO confirmed it.</summary>
        public required uint ModelCrc { get; init; }

        /// <summary>The receivedUpTo of every LOAD_ACK in order: 64 for a fresh transfer, more when it resumed.</summary>
        public required IReadOnlyList<int> ResumeOffsets { get; init; }

        /// <summary>Model bytes carried by CHUNK frames in all, resent ones included.</summary>
        public required long ChunkBytesSent { get; init; }

        /// <summary>Model bytes sent again (after a loss, a timeout or a reconnection).</summary>
        public required long BytesResent { get; init; }

        /// <summary>Chunks found lost (by a later chunk's answer, an Incomplete COMMIT or a timeout) and sent again.</summary>
        public required int Retransmissions { get; init; }

        /// <summary>CHUNK frames sent in all, resent ones included.</summary>
        public required int ChunksSent { get; init; }

        /// <summary>Times the link was reopened during the transfer.</summary>
        public required int Reconnections { get; init; }

        /// <summary>Wire bytes of chunks in flight the device allowed (LOAD_ACK windowBytes).</summary>
        public required int WindowBytes { get; init; }

        /// <summary>Largest chunk the device allowed (LOAD_ACK maxChunk).</summary>
        public required int MaxChunk { get; init; }

        /// <summary>Bytes written to the link in all: frames, framing and retransmissions.</summary>
        public required long WireBytesWritten { get; init; }

        /// <summary>From the first LOAD to the INFO that confirmed the model.</summary>
        public required TimeSpan Elapsed { get; init; }

        /// <summary>The device's INFO after the commit.</summary>
        public required DeviceInformation Device { get; init; }
    }

    /// <summary>The outcome of <see cref="DeviceClient.Infer"/>: the outputs and the device's own time.</summary>
    /// <param name="Outputs">All graph outputs concatenated in graph order, int8.</param>
    /// <param name="ElapsedTicks">The device's time for Interpreter.Invoke, in 100 ns ticks.</param>
    public sealed record InferenceResult(sbyte[] Outputs, long ElapsedTicks)
    {
        /// <summary>The device's time in milliseconds.</summary>
        public double ElapsedMilliseconds => ElapsedTicks / (double)TimeSpan.TicksPerMillisecond;
    }

    /// <summary>The outcome of <see cref="DeviceClient.Bench"/>, from the device's clock.</summary>
    /// <param name="Runs">Inferences run.</param>
    /// <param name="TotalTicks">Their summed time, in 100 ns ticks.</param>
    /// <param name="FastestTicks">The fastest run.</param>
    /// <param name="SlowestTicks">The slowest run.</param>
    public sealed record BenchResult(int Runs, long TotalTicks, long FastestTicks, long SlowestTicks)
    {
        /// <summary>Mean time per inference in milliseconds.</summary>
        public double MeanMilliseconds => TotalTicks / (double)Runs / TimeSpan.TicksPerMillisecond;

        /// <summary>Fastest inference in milliseconds.</summary>
        public double FastestMilliseconds => FastestTicks / (double)TimeSpan.TicksPerMillisecond;

        /// <summary>Slowest inference in milliseconds.</summary>
        public double SlowestMilliseconds => SlowestTicks / (double)TimeSpan.TicksPerMillisecond;
    }

    /// <summary>Field-sensor mode as the device acknowledged it.</summary>
    /// <param name="Enabled">True when the device runs sensor mode (false on a board without an input source).</param>
    /// <param name="PeriodMilliseconds">The period between runs.</param>
    public sealed record SensorState(bool Enabled, long PeriodMilliseconds);

    /// <summary>One unsolicited SENSOR_RESULT.</summary>
    /// <param name="Run">Run number, from 1.</param>
    /// <param name="ElapsedTicks">The device's time for the inference, in 100 ns ticks.</param>
    /// <param name="Outputs">The first output bytes (up to 500).</param>
    public sealed record SensorResult(long Run, long ElapsedTicks, sbyte[] Outputs);
}
