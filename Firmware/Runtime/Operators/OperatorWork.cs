namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// The work of one inference, the figure a device compares with its budget before it runs a
    /// model (docs/model-format.md, "Work"): per operator a fixed charge for dispatching it plus its
    /// family's count (<see cref="OperatorFamily.Work"/>), in work units, each about one
    /// multiply-accumulate or one element read. The whole-inference IL counts of bench/IlPerMac
    /// give what a work unit costs on nanoCLR (32 IL for the plain vibration sample);
    /// boards/README.md turns that into each board's maxWorkPerInference.
    /// </summary>
    internal static class OperatorWork
    {
        /// <summary>
        /// Work units every operator costs whatever its size: the interpreter's call, the record's
        /// fields read into locals, the loops entered once.
        /// </summary>
        internal const int PerOperator = 64;

        /// <summary>Work of a window operator: for every output element, the window's taps and one for the output.</summary>
        internal static long Window(long outputs, long taps)
        {
            return outputs * (taps + 1);
        }
    }
}
