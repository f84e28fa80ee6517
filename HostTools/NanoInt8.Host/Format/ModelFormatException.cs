namespace NanoInt8.Host.Format
{
    /// <summary>
    /// A model that the .ni8 format (docs/model-format.md) cannot represent, or a blob or metadata
    /// section that is not well formed. The message says which element is wrong and why.
    /// </summary>
    public sealed class ModelFormatException : Exception
    {
        /// <summary>Creates the exception with a message that names the offending element.</summary>
        public ModelFormatException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with a message and the exception that caused it.</summary>
        public ModelFormatException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
