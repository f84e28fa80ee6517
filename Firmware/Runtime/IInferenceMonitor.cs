namespace NanoInt8.Runtime
{
    /// <summary>
    /// Asked between two operators of an inference whether to stop it
    /// (<see cref="Interpreter.Invoke(IInferenceMonitor)"/>): the device server answers yes when a
    /// RESET has arrived, so a host can interrupt a long inference.
    /// </summary>
    public interface IInferenceMonitor
    {
        /// <summary>True to stop the inference before the next operator.</summary>
        bool ShouldStop();
    }
}
