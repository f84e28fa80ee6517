namespace NanoInt8.Runtime.Operators
{
    /// <summary>
    /// One operator of a model with its arguments resolved once, when the interpreter is created
    /// (TensorFlow Lite Micro's OpData filled in Prepare): buffers, offsets, shapes, zero points and
    /// parameter words as named fields, so that <see cref="Invoke"/> hands its kernel one object
    /// instead of thirty positional ints. Each code has one record class, <c>&lt;code name&gt;Operator</c>
    /// (Operators/&lt;family&gt;/*Operator.cs); its fields are public so that tests and tools can fill
    /// one by name, and the interpreter fills them from a validated model, so kernels trust them.
    /// </summary>
    /// <remarks>
    /// Memory on the device: nanoCLR stores an object as one 12-byte heap block for its header and one
    /// per field, whatever the field's type (an int field costs 12 bytes, measured on nanoCLR: 24 on
    /// its 64-bit build), and an array as a 20-byte header plus its elements, rounded up to whole
    /// blocks; an array of references takes a block per element. Each record class states its field
    /// count (FieldCount, inherited fields included; a test counts them by reflection) and
    /// <c>Interpreter.PreparedBytes(Model)</c> adds them up for a model (a plain name: on the device
    /// the interpreter is in NanoInt8.Runtime, the assembly above this one).
    /// </remarks>
    public abstract class PreparedOperator
    {
        /// <summary>Bytes of one heap block on a 32-bit device (nanoCLR's CLR_RT_HeapBlock).</summary>
        public const int HeapBlockBytes = 12;

        /// <summary>Bytes of an array's header on a 32-bit device (CLR_RT_HeapBlock_Array).</summary>
        public const int ArrayHeaderBytes = 20;

        /// <summary>Runs the operator once: its kernel over the arena.</summary>
        public abstract void Invoke();

        /// <summary>Heap bytes of an object with <paramref name="fields"/> fields: a block for the header and one per field.</summary>
        public static int ObjectBytes(int fields)
        {
            return HeapBlockBytes * (1 + fields);
        }

        /// <summary>
        /// Heap bytes of an array of <paramref name="length"/> elements of <paramref name="elementBytes"/>
        /// bytes each (<see cref="HeapBlockBytes"/> for references), rounded up to whole blocks.
        /// </summary>
        public static long ArrayBytes(long length, int elementBytes)
        {
            long bytes = ArrayHeaderBytes + length * elementBytes;
            return (bytes + HeapBlockBytes - 1) / HeapBlockBytes * HeapBlockBytes;
        }
    }
}
