// COMPILE-ONLY DECLARATIONS. Never run, never shipped, not the real library.
//
// The public API of nanoFramework.TestFramework 3.0.80 (the version in
// ../NanoInt8.Runtime.Tests.nf/packages.config), transcribed signature by signature from its
// source: repository nanoframework/nanoFramework.TestFramework, commit d4fa55eb58a9 (2025-09-30),
// files source/TestFramework/Assert.cs, Assert.AreEqual.cs, Assert.AreNotEqual.cs,
// CollectionAssert.cs, OutputHelper.cs, TestExtensions.cs and source/TestFrameworkShared/*.cs.
// The [Obsolete] members of Assert.Obsolete.cs are left out on purpose, so the shared tests cannot
// start using them. Bodies only throw.
//
// It exists so that NanoInt8.Runtime.Tests.CompileCheck binds the shared tests exactly as the
// device build does (same overload set, so Assert.AreEqual((sbyte)1, x) picks the same overload)
// and fails when a shared test uses something the device framework lacks, e.g. Assert.Fail,
// Assert.ThrowsExactly<T> or Assert.HasCount, which exist only in MSTest.
// When the package version changes, re-check these signatures against its source.

using System;
using System.Collections;
using System.Runtime.CompilerServices;

namespace nanoFramework.TestFramework
{
    /// <summary>Marks a test class (compile-only declaration).</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute
    {
        /// <summary>Declaration only.</summary>
        public virtual TestMethodAttribute GetTestMethodAttribute(TestMethodAttribute testMethodAttribute) => throw new NotImplementedException();
    }

    /// <summary>Marks a test method (compile-only declaration).</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class TestMethodAttribute : Attribute
    {
    }

    /// <summary>Marks a method run before the tests of its class (compile-only declaration).</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class SetupAttribute : Attribute
    {
    }

    /// <summary>Marks a method run after the tests of its class (compile-only declaration).</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class CleanupAttribute : Attribute
    {
    }

    /// <summary>Parameters of one run of a data-driven test (compile-only declaration).</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute : Attribute
    {
        /// <summary>Declaration only.</summary>
        public DataRowAttribute(params object[] methodParameters)
        {
            MethodParameters = methodParameters;
        }

        /// <summary>Declaration only.</summary>
        public object[] MethodParameters { get; }
    }

    /// <summary>Thrown by Assert.SkipTest (compile-only declaration).</summary>
    public class SkipTestException : Exception
    {
        /// <summary>Declaration only.</summary>
        public SkipTestException(string message = null, Exception innerException = null)
            : base(message, innerException)
        {
        }
    }

    /// <summary>nanoFramework.TestFramework's Assert (compile-only declaration).</summary>
    public sealed partial class Assert
    {
        public static void AreEqual(bool expected, bool actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(byte expected, byte actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(char expected, char actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(DateTime expected, DateTime actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(double expected, double actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(float expected, float actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(int expected, int actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(long expected, long actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(object expected, object actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(sbyte expected, sbyte actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(short expected, short actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(string expected, string actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(uint expected, uint actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(ulong expected, ulong actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreEqual(ushort expected, ushort actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();

        public static void AreNotEqual(bool notExpected, bool actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(byte notExpected, byte actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(char notExpected, char actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(DateTime notExpected, DateTime actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(double notExpected, double actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(float notExpected, float actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(int notExpected, int actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(long notExpected, long actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(object notExpected, object actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(sbyte notExpected, sbyte actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(short notExpected, short actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(string notExpected, string actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(uint notExpected, uint actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(ulong notExpected, ulong actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreNotEqual(ushort notExpected, ushort actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();

        public static void AreNotSame(object notExpected, object actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void AreSame(object expected, object actual, [CallerArgumentExpression("actual")] string message = "") => CompileOnly();
        public static void Contains(string expected, string value, [CallerArgumentExpression("value")] string message = "") => CompileOnly();
        public static void DoesNotContains(string notExpected, string value, [CallerArgumentExpression("value")] string message = "") => CompileOnly();
        public static void EndsWith(string expected, string value, [CallerArgumentExpression("value")] string message = "") => CompileOnly();
        public static void IsFalse(bool condition, [CallerArgumentExpression("condition")] string message = "") => CompileOnly();
        public static void IsInstanceOfType(object value, Type expected, [CallerArgumentExpression("value")] string message = "") => CompileOnly();
        public static void IsNotInstanceOfType(object value, Type notExpected, [CallerArgumentExpression("value")] string message = "") => CompileOnly();
        public static void IsNotNull(object value, [CallerArgumentExpression("value")] string message = "") => CompileOnly();
        public static void IsNull(object value, [CallerArgumentExpression("value")] string message = "") => CompileOnly();
        public static void IsTrue(bool condition, [CallerArgumentExpression("condition")] string message = "") => CompileOnly();
        public static void SkipTest(string message = null) => CompileOnly();
        public static void StartsWith(string expected, string value, [CallerArgumentExpression("value")] string message = "") => CompileOnly();
        public static void ThrowsException(Type exception, Action action, [CallerArgumentExpression("action")] string message = "") => CompileOnly();

        private static void CompileOnly() => throw new NotImplementedException();
    }

    /// <summary>nanoFramework.TestFramework's CollectionAssert (compile-only declaration).</summary>
    public sealed class CollectionAssert
    {
        public static void Empty(ICollection collection, string message = "") => throw new NotImplementedException();
        public static void NotEmpty(ICollection collection, string message = "") => throw new NotImplementedException();
        public static void AreEqual(ICollection expected, ICollection actual, string message = "") => throw new NotImplementedException();
        public static void AreNotEqual(ICollection notExpected, ICollection actual, string message = "") => throw new NotImplementedException();
    }

    /// <summary>nanoFramework.TestFramework's OutputHelper (compile-only declaration).</summary>
    public static class OutputHelper
    {
        public static void Write(string message) => throw new NotImplementedException();
        public static void WriteLine(string message) => throw new NotImplementedException();
    }

    /// <summary>nanoFramework.TestFramework's TestExtensions (compile-only declaration).</summary>
    public static class TestExtensions
    {
        public static bool SequenceEqual(this Array a, Array b) => throw new NotImplementedException();
    }
}

namespace TestFrameworkShared
{
    /// <summary>Thrown by a failing assertion (compile-only declaration).</summary>
    public class AssertFailedException : Exception
    {
        /// <summary>Declaration only.</summary>
        public AssertFailedException(string msg, Exception ex)
            : base(msg, ex)
        {
        }

        /// <summary>Declaration only.</summary>
        public AssertFailedException(string msg)
            : base(msg)
        {
        }

        /// <summary>Declaration only.</summary>
        public AssertFailedException()
        {
        }
    }
}
