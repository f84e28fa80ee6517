using System.Reflection;

// Assembly identity of the nanoFramework test build (the launcher loads it by the name NFUnitTest).
[assembly: AssemblyTitle("NanoInt8.Runtime.Tests")]
[assembly: AssemblyProduct("NanoInt8")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
