namespace NanoInt8.Host.Device
{
    /// <summary>Timeouts and retry limits of a <see cref="DeviceClient"/>.</summary>
    public sealed record DeviceClientOptions
    {
        /// <summary>
        /// How long to wait for the answer to a short request before sending it again (the spec's
        /// default, 500 ms). The time the request and its answer take on the line at <see cref="Baud"/>
        /// is added.
        /// </summary>
        public int RequestTimeoutMilliseconds { get; init; } = 500;

        /// <summary>Wait for COMMIT_ACK: the device validates the model and writes it to flash.</summary>
        public int CommitTimeoutMilliseconds { get; init; } = 10000;

        /// <summary>Wait for INFER_RESULT: one inference on the device.</summary>
        public int InferTimeoutMilliseconds { get; init; } = 10000;

        /// <summary>Times a request is sent before the device counts as silent (at least 1).</summary>
        public int Attempts { get; init; } = 3;

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
