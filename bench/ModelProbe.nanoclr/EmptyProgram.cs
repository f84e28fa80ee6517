using System;

namespace NanoInt8.ModelProbe
{
    /// <summary>The interpreter's own start with the same assemblies loaded and nothing run: the baseline. Prints "done".</summary>
    public static class Program
    {
        /// <summary>Entry point.</summary>
        public static void Main()
        {
            Console.WriteLine("done");
        }
    }
}
