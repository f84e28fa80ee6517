namespace NanoInt8.Host.Device
{
    /// <summary>Timeouts and retry limits of a <see cref="DeviceClient"/>.</summary>
    public sealed record DeviceClientOptions
    {
        /// <summary>
        /// The longest wait for the answer to a short request before sending it again (the spec's
        /// default, 500 ms), and the wait until the first round trip is measured; after that the
        /// wait follows the measured round trip. The time the request and its answer take on the
        /// line at <see cref="Baud"/> is added.
        /// </summary>
        public int RequestTimeoutMilliseconds { get; init; } = 500;

        /// <summary>Wait for COMMIT_ACK: the device validates the model and writes it to flash.</summary>
        public int CommitTimeoutMilliseconds { get; init; } = 10000;

        /// <summary>Wait for INFER_RESULT: one inference on the device.</summary>
        public int InferTimeoutMilliseconds { get; init; } = 10000;

        /// <summary>Times a request is sent without a byte coming back before the device counts as silent (at least 1).</summary>
        public int Attempts { get; init; } = 3;

        /// <summary>
        /// Times a request is sent in all while bytes do come back but never its answer (a noisy
        /// line spoiling frames), before the client gives up; at least <see cref="Attempts"/>.
        /// </summary>
        public int AttemptsOnNoisyLine { get; init; } = 200;

        /// <summary>How long a model transfer may go without the device acknowledging a new block before it is given up.</summary>
        public int StallTimeoutMilliseconds { get; init; } = 30000;

        /// <summary>Times a transfer reopens a broken link and resumes before it gives up.</summary>
        public int ReconnectAttempts { get; init; } = 5;

        /// <summary>Pause before each attempt to reopen a broken link (a replugged adapter needs a moment).</summary>
        public int ReconnectDelayMilliseconds { get; init; } = 500;

        /// <summary>The line's baud rate: timeouts grow by the time frames take on a slow line.</summary>
        public int Baud { get; init; } = 921600;

        /// <summary>The defaults.</summary>
        public static DeviceClientOptions Default { get; } = new DeviceClientOptions();
    }
}
