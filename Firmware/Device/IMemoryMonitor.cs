namespace NanoInt8.Device
{
    /// <summary>Free managed memory, as the board's runtime reports it.</summary>
    public interface IMemoryMonitor
    {
        /// <summary>Bytes of managed heap free now.</summary>
        int FreeBytes { get; }
    }
}
