using NanoInt8.Runtime;

namespace NanoInt8.Host.Format
{
    /// <summary>Element type code of a tensor record (docs/model-format.md, "Tensor record").</summary>
    public enum TensorElementType : byte
    {
        /// <summary>Signed 8-bit integers: activations, weights, lookup tables.</summary>
        Int8 = ModelFormat.TypeInt8,

        /// <summary>Signed 32-bit integers: biases, multipliers, shifts, tables.</summary>
        Int32 = ModelFormat.TypeInt32,

        /// <summary>Signed 64-bit integers (constants only: packed filter words), stored in the
        /// tail of the int32 constants section, two words each.</summary>
        Int64 = ModelFormat.TypeInt64,
    }
}
