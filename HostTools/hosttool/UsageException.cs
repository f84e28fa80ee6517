namespace NanoInt8.HostTool
{
    /// <summary>Arguments that parse but make no sense together; exit code <see cref="ExitCode.UsageError"/>.</summary>
    public sealed class UsageException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">One sentence saying what is wrong with the arguments.</param>
        public UsageException(string message)
            : base(message)
        {
        }
    }
}
