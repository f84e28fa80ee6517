using System;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// Exception assertions for the shared tests, nanoFramework side (Assert comes from
    /// nanoFramework.TestFramework through GlobalUsings.nano.cs); the MSTest side is
    /// ../NanoInt8.Runtime.Tests/Platform/ExpectException.net.cs. Both demand the exact type.
    /// </summary>
    public static partial class ExpectException
    {
        /// <summary>
        /// Passes when <paramref name="action"/> throws an exception of exactly
        /// <paramref name="exceptionType"/> (not a derived type), fails otherwise.
        /// </summary>
        /// <param name="exceptionType">The expected exception type.</param>
        /// <param name="action">The code expected to throw.</param>
        public static void Of(Type exceptionType, Action action)
        {
            // nanoFramework.TestFramework's ThrowsException compares exceptionType == ex.GetType().
            Assert.ThrowsException(exceptionType, action);
        }
    }
}
