namespace NanoInt8.Device
{
    /// <summary>
    /// Error codes of the ERROR frame (docs/serial-protocol.md, "Error codes"). The numbers are
    /// part of the protocol: never renumber them.
    /// </summary>
    public static class ProtocolError
    {
        /// <summary>The request type is not one the device knows. Detail: 0.</summary>
        public const int UnknownType = 1;

        /// <summary>A field or the payload length is malformed. Detail: 0.</summary>
        public const int BadPayload = 2;

        /// <summary>HELLO asked for a protocol version the device does not speak. Detail: the device's version.</summary>
        public const int VersionMismatch = 3;

        /// <summary>The model was refused. Detail: the ModelError code (docs/model-format.md).</summary>
        public const int ModelRefused = 4;

        /// <summary>CHUNK or COMMIT without a transfer under way. Detail: 0.</summary>
        public const int NoTransfer = 5;

        /// <summary>A CHUNK reaches beyond the model's total length. Detail: the expected offset.</summary>
        public const int BadChunk = 6;

        /// <summary>COMMIT before the last byte arrived. Detail: bytes received so far.</summary>
        public const int Incomplete = 7;

        /// <summary>The received bytes do not match the header's payload CRC. Detail: their CRC.</summary>
        public const int CrcMismatch = 8;

        /// <summary>No model is running (INFER, BENCH, INPUT, OUTPUT, SENSOR) or stored (READ). Detail: 0.</summary>
        public const int NoModel = 9;

        /// <summary>Inputs of the wrong size. Detail: the expected input byte count.</summary>
        public const int InputSize = 10;

        /// <summary>The valid model could not be written to storage; the old one stays. Detail: 0.</summary>
        public const int StorageFailed = 11;

        /// <summary>READ or OUTPUT outside the data (or OUTPUT before any inference). Detail: 0.</summary>
        public const int BadRange = 12;

        /// <summary>
        /// Handling the request threw on the device (a fault in the firmware or the board layer);
        /// the running model is untouched. Detail: 0.
        /// </summary>
        public const int DeviceFault = 13;

        /// <summary>
        /// The inference (INFER, BENCH) was stopped between two operators because a RESET arrived;
        /// the device answers the RESET next. Detail: the operators that had run.
        /// </summary>
        public const int Interrupted = 14;
    }
}
