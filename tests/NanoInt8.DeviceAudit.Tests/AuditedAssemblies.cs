using System.Reflection;

namespace NanoInt8.DeviceAudit.Tests;

/// <summary>Where the build put the assemblies under audit. The project file writes their paths
/// into this test assembly at build time (target WriteAuditedAssemblyPaths), so the tests find
/// the outputs of the same build and configuration without guessing directories.</summary>
internal static class AuditedAssemblies
{
    /// <summary>The lower device assembly's nanoFramework compile check (Firmware/Kernels.CompileCheck).</summary>
    public const string KernelsNanoBuild = "NanoInt8.Kernels.Nano.dll";

    /// <summary>The upper device assembly's nanoFramework compile check (Firmware/Runtime.CompileCheck).</summary>
    public const string RuntimeNanoBuild = "NanoInt8.Runtime.Nano.dll";

    /// <summary>The net10.0 build of the same sources (Firmware/Runtime).</summary>
    public const string Net10Build = "NanoInt8.Runtime.dll";

    /// <summary>The deliberately bad fixture (tests/Fixtures/BadDeviceCode).</summary>
    public const string BadDeviceCode = "BadDeviceCode.dll";

    /// <summary>The full path of an audited assembly, checked to exist.</summary>
    public static string PathOf(string fileName)
    {
        string key = "AuditedAssembly:" + fileName;
        string? path = typeof(AuditedAssemblies).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == key)?.Value;
        if (path is null)
        {
            throw new InvalidOperationException($"{fileName} is not among the audited project references of NanoInt8.DeviceAudit.Tests.csproj");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{fileName} was not built where the build said it would be", path);
        }

        return path;
    }
}
