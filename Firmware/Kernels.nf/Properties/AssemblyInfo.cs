using System.Reflection;

// Assembly identity of the nanoFramework build only (the SDK projects generate theirs).
[assembly: AssemblyTitle("NanoInt8.Kernels")]
[assembly: AssemblyDescription("Int8 kernels and operator records of the NanoInt8 runtime for .NET nanoFramework")]
[assembly: AssemblyProduct("NanoInt8")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
