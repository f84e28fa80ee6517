using System;

namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// Marks a static class as (part of) the layout of an operator's words: the class's public
    /// int constants name the operator-specific parameter words after the operands, in order, and
    /// <c>Count</c> is how many there are; a nested <c>Operands</c> class names the input operands
    /// and a nested <c>PerInput</c> class the words repeated once per input (Concat). A code may
    /// take the words of several classes one after the other (Conv2DTriple: Conv2D's, then
    /// FilterWidth). The runtime does not read the attribute: it documents which codes a layout
    /// serves, and tests check every code against docs/model-format.md through it.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class OperatorLayoutAttribute : Attribute
    {
        /// <summary>The layout serves operator <paramref name="code"/> (<see cref="OpCode"/>).</summary>
        public OperatorLayoutAttribute(int code)
        {
            Code = code;
        }

        /// <summary>The operator code (<see cref="OpCode"/>).</summary>
        public int Code { get; }
    }
}
