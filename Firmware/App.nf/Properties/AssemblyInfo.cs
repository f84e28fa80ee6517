using System.Reflection;

// Assembly identity of the firmware application; FirmwareMajor/Minor/Patch in Program.cs follow it.
[assembly: AssemblyTitle("NanoInt8.App")]
[assembly: AssemblyDescription("NanoInt8 firmware for ESP32 boards under .NET nanoFramework")]
[assembly: AssemblyProduct("NanoInt8")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
