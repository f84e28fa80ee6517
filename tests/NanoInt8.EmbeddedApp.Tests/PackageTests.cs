using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using NanoInt8.Tests.Shared;

namespace NanoInt8.EmbeddedApp.Tests;

/// <summary>
/// The nanoFramework packages Firmware/Packages/pack.sh writes, opened as NuGet would: each holds
/// exactly its assembly's files under lib/netnano1.0 and its README, says the assembly's version, and
/// depends on what the assembly references (nanoFramework.CoreLibrary at the central version; the
/// runtime package on exactly the kernels package's version, the device package on exactly the
/// runtime package's). The packages are those in
/// NANOINT8_PACKAGES (.ci/nanoclr packs them there first), else packed here into a temporary folder;
/// packing needs ../shared/nanoclr.
/// </summary>
[TestClass]
public class PackageTests
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

    // The packages pack.sh writes, lowest first: each may depend on those before it.
    private static readonly string[] PackedAssemblies = { "NanoInt8.Kernels", "NanoInt8.Runtime", "NanoInt8.Device" };
    private static string? s_packages;
    private static string? s_temporary;

    [ClassCleanup]
    public static void RemoveTemporaryPackages()
    {
        if (s_temporary is not null)
        {
            Directory.Delete(s_temporary, recursive: true);
        }
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    [DataRow("NanoInt8.Kernels")]
    [DataRow("NanoInt8.Runtime")]
    [DataRow("NanoInt8.Device")]
    public void Package_HoldsTheAssemblysFilesAndReadme(string name)
    {
        using ZipArchive package = Open(name);

        string[] expected =
        {
            $"{name}.nuspec", "docs/README.md",
            $"lib/netnano1.0/{name}.dll", $"lib/netnano1.0/{name}.pdb", $"lib/netnano1.0/{name}.pdbx", $"lib/netnano1.0/{name}.pe", $"lib/netnano1.0/{name}.xml",
        };
        // NuGet's own parts of every package.
        string[] content = package.Entries.Select(entry => entry.FullName)
            .Where(path => !path.StartsWith("_rels/", StringComparison.Ordinal) && !path.StartsWith("package/", StringComparison.Ordinal) && path != "[Content_Types].xml")
            .ToArray();
        CollectionAssert.AreEquivalent(expected, content);
        Assert.AreEqual(File.ReadAllText(RepositoryPaths.File($"Firmware/Packages/{name}.md")), Text(package, "docs/README.md"));
        StringAssert.Contains(Text(package, $"lib/netnano1.0/{name}.xml"), $"<name>{name}</name>", "the XML docs are the assembly's");
        StringAssert.Contains(Text(package, $"lib/netnano1.0/{name}.pdbx"), $"<FileName>{name}.dll</FileName>", "the .pdbx maps this assembly");
        // A nanoFramework .pe starts with the marker "NFMRK1", as mscorlib.pe does.
        CollectionAssert.AreEqual("NFMRK1"u8.ToArray(), Bytes(package, $"lib/netnano1.0/{name}.pe").Take(6).ToArray());
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    [DataRow("NanoInt8.Kernels")]
    [DataRow("NanoInt8.Runtime")]
    [DataRow("NanoInt8.Device")]
    public void Package_VersionIsTheAssemblyVersionAndDependenciesAreItsReferences(string name)
    {
        using ZipArchive package = Open(name);
        XElement metadata = XDocument.Parse(Text(package, $"{name}.nuspec")).Root!.Element(Nuspec + "metadata")!;
        using PEReader assembly = new(new MemoryStream(Bytes(package, $"lib/netnano1.0/{name}.dll")));
        MetadataReader reader = assembly.GetMetadataReader();
        Version version = reader.GetAssemblyDefinition().Version;
        Dictionary<string, Version> references = reader.AssemblyReferences.Select(reader.GetAssemblyReference)
            .ToDictionary(reference => reader.GetString(reference.Name), reference => reference.Version);

        Assert.AreEqual(name, metadata.Element(Nuspec + "id")!.Value);
        Assert.AreEqual(version.ToString(3), metadata.Element(Nuspec + "version")!.Value, "package version = assembly version");
        Assert.AreEqual(@"docs\README.md", metadata.Element(Nuspec + "readme")!.Value);
        XElement group = metadata.Element(Nuspec + "dependencies")!.Elements(Nuspec + "group").Single();
        Assert.AreEqual(".NETnanoFramework1.0", group.Attribute("targetFramework")!.Value, "the dependencies of lib/netnano1.0");
        Dictionary<string, string> dependencies = group.Elements(Nuspec + "dependency").ToDictionary(dependency => dependency.Attribute("id")!.Value, dependency => dependency.Attribute("version")!.Value);

        string coreLibrary = CentralVersion("nanoFramework.CoreLibrary");
        Assert.AreEqual(new Version(coreLibrary + ".0"), references["mscorlib"], "the assembly is built against the CoreLibrary it depends on");
        Dictionary<string, string> expected = new() { ["nanoFramework.CoreLibrary"] = coreLibrary };
        foreach (string packed in PackedAssemblies.Where(references.ContainsKey))
        {
            expected[packed] = $"[{references[packed].ToString(3)}]";
        }

        CollectionAssert.AreEquivalent(expected.ToArray(), dependencies.ToArray());
        CollectionAssert.IsSubsetOf(references.Keys.ToArray(), PackedAssemblies.Append("mscorlib").ToArray(), "no reference the package does not bring");
    }

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    [DataRow("NanoInt8.Runtime", "NanoInt8.Kernels")]
    [DataRow("NanoInt8.Device", "NanoInt8.Runtime")]
    public void Package_DependsOnThePackageBelowPackedWithIt(string name, string below)
    {
        using ZipArchive package = Open(name);
        using ZipArchive dependencyPackage = Open(below);
        string belowVersion = XDocument.Parse(Text(dependencyPackage, below + ".nuspec")).Descendants(Nuspec + "version").Single().Value;

        string dependency = XDocument.Parse(Text(package, name + ".nuspec")).Descendants(Nuspec + "dependency")
            .Single(element => element.Attribute("id")!.Value == below).Attribute("version")!.Value;

        Assert.AreEqual($"[{belowVersion}]", dependency);
    }

    private static ZipArchive Open(string name)
    {
        string folder = Packages();
        string[] found = Directory.GetFiles(folder, name + ".*.nupkg").Where(path => char.IsAsciiDigit(Path.GetFileName(path)[name.Length + 1])).ToArray();
        Assert.HasCount(1, found, $"one {name} package in {folder}");
        return ZipFile.OpenRead(found[0]);
    }

    // The folder with the .nupkg files: NANOINT8_PACKAGES, or a temporary folder pack.sh fills once.
    private static string Packages()
    {
        if (s_packages is not null)
        {
            return s_packages;
        }

        string? given = Environment.GetEnvironmentVariable("NANOINT8_PACKAGES");
        if (!string.IsNullOrEmpty(given))
        {
            return s_packages = Path.GetFullPath(given);
        }

        RepositoryPaths.RequireNanoClr("the nanoFramework packages were not packed");
        s_temporary = Directory.CreateTempSubdirectory("nanoint8-packages-").FullName;
        ChildProcess.Run("bash", new[] { RepositoryPaths.File("Firmware/Packages/pack.sh"), s_temporary }, RepositoryPaths.Root);
        return s_packages = s_temporary;
    }

    private static string CentralVersion(string package)
    {
        XDocument central = XDocument.Load(RepositoryPaths.File("Directory.Packages.props"));
        return central.Descendants("PackageVersion").Single(item => (string?)item.Attribute("Include") == package).Attribute("Version")!.Value;
    }

    private static byte[] Bytes(ZipArchive package, string path)
    {
        using Stream stream = package.GetEntry(path)!.Open();
        using MemoryStream copy = new();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Text(ZipArchive package, string path) => new StreamReader(new MemoryStream(Bytes(package, path)), detectEncodingFromByteOrderMarks: true).ReadToEnd();
}
