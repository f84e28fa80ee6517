using System.Reflection;
using System.Runtime.Loader;

namespace NanoInt8.Bench.IlPerMac.Analysis;

/// <summary>
/// Loads a net10.0 build of NanoInt8.Runtime from a path, beside (not instead of) the one this tool
/// references, so that a whole inference can be measured with another commit's runtime (--runtime).
/// </summary>
public static class RuntimeAssembly
{
    /// <summary>The assembly at <paramref name="path"/>, in a load context of its own.</summary>
    public static Assembly Load(string path) => new AssemblyLoadContext("runtime under measurement").LoadFromAssemblyPath(Path.GetFullPath(path));
}
