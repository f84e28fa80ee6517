using System;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// Exception assertions for the shared tests, MSTest side; the nanoFramework side is
    /// ../../NanoInt8.Runtime.Tests.nf/ExpectException.nano.cs. Both demand the exact type.
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
            // MSTest 4.5 has only the generic Assert.Throws<T> (T or derived) and
            // Assert.ThrowsExactly<T>; the old ThrowsException is gone. With a Type value this
            // does what nanoFramework.TestFramework's Assert.ThrowsException(Type, Action) does:
            // run the action and compare the thrown type exactly.
            Exception thrown = null;
            try
            {
                action();
            }
            catch (Exception exception)
            {
                thrown = exception;
            }

            if (thrown is null)
            {
                Assert.Fail($"No exception was thrown; {exceptionType.Name} was expected.");
            }

            Assert.AreEqual(exceptionType, thrown.GetType(), $"Threw {thrown.GetType().Name} ({thrown.Message}); exactly {exceptionType.Name} was expected.");
        }
    }
}
