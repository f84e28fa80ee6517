namespace NanoInt8.Device
{
    /// <summary>
    /// Persistent storage of the committed model (flash on the device, a file for the emulated
    /// board), so that the model survives a power cycle.
    /// </summary>
    public interface IModelStore
    {
        /// <summary>The committed model blob, or null when none was stored (or it cannot be read).</summary>
        byte[] ReadCommitted();

        /// <summary>
        /// Stores <paramref name="blob"/> as the committed model. The previous copy must stay
        /// readable until the new one is written whole (write a new file, then replace). Returns
        /// false when the write failed; the previous model then remains the committed one.
        /// </summary>
        bool Commit(byte[] blob);
    }
}
