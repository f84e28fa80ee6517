using System.Reflection;

// Assembly identity of the nanoFramework build only (the SDK projects generate theirs).
[assembly: AssemblyTitle("NanoInt8.Device")]
[assembly: AssemblyDescription("NanoInt8 serial protocol, device side, for .NET nanoFramework")]
[assembly: AssemblyProduct("NanoInt8")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
