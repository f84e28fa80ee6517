namespace NanoInt8.DeviceLoop
{
    /// <summary>
    /// The steps of a frame script. A script is a byte array of steps, each one byte of
    /// <see cref="ScriptStep"/> code, a little-endian u16 data length and that many data bytes.
    /// The host writes scripts (NanoInt8.DeviceLoop.Tests/FrameScriptBuilder.cs); the device build
    /// and the .NET build of <see cref="ScriptPlayer"/> replay them.
    /// </summary>
    public static class ScriptStep
    {
        /// <summary>Data: bytes the host puts on the line (frames, parts of frames, garbage).</summary>
        public const int Send = 1;

        /// <summary>No data: the cable is pulled; whatever is on the line is lost.</summary>
        public const int Disconnect = 2;

        /// <summary>Data: u32 milliseconds the clock moves forward (sensor periods).</summary>
        public const int AdvanceClock = 3;

        /// <summary>Data: one byte, 1 = the model store refuses writes from now on, 0 = it writes again.</summary>
        public const int StoreFailure = 4;

        /// <summary>No data: a power cycle; a new server on the same store boots from what it holds.</summary>
        public const int Reboot = 5;
    }
}
