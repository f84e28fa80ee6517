using NanoInt8.Runtime;

namespace NanoInt8.Device
{
    /// <summary>
    /// What the device decides at LOAD from the 64-byte header alone, before it allocates or
    /// receives anything (docs/serial-protocol.md, "Model transfer"): the header valid and within
    /// the model budget and the work budget (<see cref="ModelReader.CheckHeader(byte[], int, int, int, long)"/>),
    /// and deviceBytes + totalLength within the transfer budget. The host runs the same method to
    /// say exactly what the device will do.
    /// </summary>
    public static class LoadCheck
    {
        /// <summary>The error a LOAD of this header gets (ModelRefused detail), or None.</summary>
        /// <param name="header">Buffer holding the header.</param>
        /// <param name="offset">Where the header starts.</param>
        /// <param name="length">Bytes available from <paramref name="offset"/>.</param>
        /// <param name="modelBudget">Largest deviceBytes (INFO maxModelBytes).</param>
        /// <param name="transferBudget">Largest deviceBytes + totalLength (INFO transferBytes).</param>
        /// <param name="workBudget">Most work units of one inference (INFO maxWorkPerInference).</param>
        public static ModelError Check(byte[] header, int offset, int length, int modelBudget, int transferBudget, long workBudget)
        {
            ModelError error = ModelReader.CheckHeader(header, offset, length, modelBudget, workBudget);
            if (error != ModelError.None)
            {
                return error;
            }

            long needed = (long)ModelReader.GetDeviceBytes(header, offset) + ModelReader.GetTotalLength(header, offset);
            return needed > transferBudget ? ModelError.TooLarge : ModelError.None;
        }
    }
}
