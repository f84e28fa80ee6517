namespace BadDeviceCode
{
    /// <summary>
    /// One member per construct that nanoCLR cannot run. Each member's name is what the audit tests
    /// look for in the violation list, so rename them together with the tests.
    /// </summary>
    public static class Violations
    {
        /// <summary>A double field (field signature R8).</summary>
        public static double DoubleField;

        /// <summary>A multi-dimensional array field (ELEMENT_TYPE_ARRAY).</summary>
        public static int[,] MultiDimensionalArrayField;

        /// <summary>A property whose signature is float.</summary>
        public static float FloatProperty
        {
            get { return 0; }
        }

        /// <summary>A float local: the accumulator is assigned in a loop, so even an optimized build
        /// keeps it as a local slot.</summary>
        public static int FloatLocal(int count)
        {
            float total = 0;
            for (int index = 0; index < count; index++)
            {
                total += index;
            }

            return (int)total;
        }

        /// <summary>A float literal (ldc.r4).</summary>
        public static object FloatLiteral()
        {
            return 1.5f;
        }

        /// <summary>An int widened to double (conv.r8).</summary>
        public static object ConversionToDouble(int value)
        {
            return (double)value;
        }

        /// <summary>A float parameter; the body itself has no floating-point opcode.</summary>
        public static object FloatParameter(float value)
        {
            return value;
        }

        /// <summary>A call into another assembly whose signature is double (System.Math.Sqrt).</summary>
        public static int CallsMathSqrt(int value)
        {
            return (int)System.Math.Sqrt(value);
        }

        /// <summary>A generic method definition.</summary>
        public static T GenericMethod<T>(T value)
        {
            return value;
        }

        /// <summary>A use of a generic BCL method (a MethodSpec): Array.Empty&lt;int&gt;().</summary>
        public static int UsesGenericBclMethod()
        {
            return System.Array.Empty<int>().Length;
        }

        /// <summary>An unsafe pointer parameter (ELEMENT_TYPE_PTR).</summary>
        public static unsafe int PointerParameter(int* pointer)
        {
            return *pointer;
        }

        /// <summary>stackalloc (the localloc opcode).</summary>
        public static unsafe int Stackalloc(int index)
        {
            int* buffer = stackalloc int[4];
            buffer[index & 3] = index;
            return buffer[0];
        }

        /// <summary>A function pointer parameter (ELEMENT_TYPE_FNPTR) called with calli.</summary>
        public static unsafe int FunctionPointer(delegate*<int, int> function)
        {
            return function(1);
        }
    }

    /// <summary>A generic class definition.</summary>
    public class GenericClass<T>
    {
        /// <summary>A field of the type parameter.</summary>
        public T Value;
    }

    /// <summary>A byref-like type (ref struct), marked with IsByRefLikeAttribute.</summary>
    public ref struct ByRefLikeStruct
    {
        /// <summary>A plain field.</summary>
        public int Value;
    }
}
