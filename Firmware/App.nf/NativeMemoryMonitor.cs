// API checked against: nanoframework/nanoFramework.Runtime.Native v1.7.11 (e70ef69),
// nanoFramework.Runtime.Native/GC.cs (static uint Run(bool compactHeap): collects, returns free bytes).
// Native side: nanoframework/nf-interpreter a3e8139,
// src/nanoFramework.Runtime.Native/nf_rt_native_nanoFramework_Runtime_Native_GC.cpp.
using NanoInt8.Device;

namespace NanoInt8.App
{
    /// <summary>
    /// <see cref="IMemoryMonitor"/> from nanoCLR's garbage collector: every query runs a collection
    /// (without compaction) and reports the managed heap left free, so ask between requests, not in
    /// a loop.
    /// </summary>
    public sealed class NativeMemoryMonitor : IMemoryMonitor
    {
        /// <inheritdoc/>
        public int FreeBytes
        {
            get
            {
                // Fully qualified: mscorlib has a System.GC too, without this method.
                uint free = global::nanoFramework.Runtime.Native.GC.Run(false);
                return free > int.MaxValue ? int.MaxValue : (int)free;
            }
        }
    }
}
