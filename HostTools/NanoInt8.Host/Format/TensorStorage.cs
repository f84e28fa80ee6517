using NanoInt8.Runtime;

namespace NanoInt8.Host.Format
{
    /// <summary>Where a tensor's data lives (docs/model-format.md, "Tensor record").</summary>
    public enum TensorStorage : byte
    {
        /// <summary>An activation in the arena; the record's offset is a byte offset in the arena.</summary>
        Arena = ModelFormat.StorageArena,

        /// <summary>A constant in the int8 or int32 constants section of the blob.</summary>
        Constant = ModelFormat.StorageConstant,
    }
}
