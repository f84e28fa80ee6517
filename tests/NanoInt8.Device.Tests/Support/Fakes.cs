namespace NanoInt8.Device.Tests.Support;

/// <summary>An input source that fills the input with a counter, so each reading differs.</summary>
internal sealed class CountingInputSource : IInputSource
{
    public int Reads { get; private set; }

    /// <summary>The value the next reading writes into every element.</summary>
    public sbyte NextValue { get; set; } = 10;

    public void Read(sbyte[] input, int offset, int count)
    {
        Reads++;
        for (int i = 0; i < count; i++)
        {
            input[offset + i] = NextValue;
        }

        NextValue++;
    }
}

/// <summary>A memory monitor reporting a number the test sets.</summary>
internal sealed class FixedMemoryMonitor : IMemoryMonitor
{
    public FixedMemoryMonitor(int freeBytes)
    {
        FreeBytes = freeBytes;
    }

    public int FreeBytes { get; set; }
}
