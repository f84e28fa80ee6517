namespace NanoInt8.Host.Boards
{
    /// <summary>A board that is not defined: no boards folder, no file for the name, or a name that is not a board name.</summary>
    public sealed class BoardNotFoundException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">A sentence naming the board and where it was looked for.</param>
        public BoardNotFoundException(string message)
            : base(message)
        {
        }
    }

    /// <summary>A board file that cannot be used: not JSON, or a field missing or out of range.</summary>
    public sealed class BoardFormatException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">A sentence naming the file and the field.</param>
        /// <param name="innerException">The parser error underneath, if any.</param>
        public BoardFormatException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }
    }
}
