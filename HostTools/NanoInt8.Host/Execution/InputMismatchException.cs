namespace NanoInt8.Host.Execution
{
    /// <summary>
    /// Inputs given to <see cref="HostModelRunner.Run(IReadOnlyList{NanoInt8.Onnx.NpyArray})"/> that do
    /// not fit the model's ONNX interface: wrong count, unknown name, element type or shape. The
    /// message names the input and says what was expected and what was given.
    /// </summary>
    public sealed class InputMismatchException : ArgumentException
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">A sentence naming the input, the expected and the actual value.</param>
        /// <param name="inputName">The graph input concerned, when there is one.</param>
        public InputMismatchException(string message, string? inputName = null)
            : base(message)
        {
            InputName = inputName;
        }

        /// <summary>The graph input concerned, or null when the problem is the set of inputs as a whole.</summary>
        public string? InputName { get; }
    }
}
