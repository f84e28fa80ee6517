using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NanoInt8.DeviceAudit;

/// <summary>
/// The nanoFramework package versions agree everywhere they are written: each project's
/// packages.config, the References and HintPaths of its .nfproj, the central CoreLibrary version
/// (Directory.Packages.props, used by the compile checks), the board layer's compile check
/// (Firmware/App.nanoclr), and, when ../shared/nanoclr/libs is beside the checkout, the
/// versions of the library assemblies there. A library whose version differs from the firmware's
/// is refused on the board, so a change to one of them must be a change to all.
/// </summary>
[TestClass]
public partial class FirmwarePackageVersionTests
{
    private static readonly string Root = FindRoot();

    private static readonly string[] NanoFrameworkProjects =
    {
        "Firmware/Kernels.nf/NanoInt8.Kernels.nfproj",
        "Firmware/Runtime.nf/NanoInt8.Runtime.nfproj",
        "Firmware/Device.nf/NanoInt8.Device.nfproj",
        "Firmware/App.nf/NanoInt8.App.nfproj",
        "tests/NanoInt8.Runtime.Tests.nf/NanoInt8.Runtime.Tests.nfproj",
        "samples/AdcClassifier/AdcClassifier.nfproj",
    };

    // nanoFramework.TestFramework's package ships its launcher (an .exe) with assembly version 0.0.0.0.
    private static readonly string[] UnversionedAssemblies = { "nanoFramework.UnitTestLauncher" };

    [TestMethod]
    public void EveryNfproj_ReferencesExactlyItsPackagesConfigAtThoseVersions()
    {
        foreach (string project in NanoFrameworkProjects)
        {
            Dictionary<string, string> packages = PackagesConfig(Path.Combine(Path.GetDirectoryName(project)!, "packages.config"));
            List<NfprojReference> references = NfprojReferences(project);
            HashSet<string> referencedPackages = new();
            foreach (NfprojReference reference in references)
            {
                Assert.IsTrue(packages.TryGetValue(reference.PackageId, out string? version), $"{project}: {reference.Assembly} comes from {reference.PackageId}, which packages.config lacks");
                Assert.AreEqual(version, reference.PackageVersion, $"{project}: HintPath of {reference.Assembly}");
                string expectedVersion = UnversionedAssemblies.Contains(reference.Assembly) ? "0.0.0." : version + ".";
                StringAssert.StartsWith(reference.AssemblyVersion, expectedVersion, $"{project}: Version= of {reference.Assembly}");
                referencedPackages.Add(reference.PackageId);
            }

            CollectionAssert.AreEquivalent(packages.Keys.ToArray(), referencedPackages.ToArray(), $"{project}: every package of packages.config is referenced, and only those");
        }
    }

    [TestMethod]
    public void CoreLibrary_SameVersionInEveryPackagesConfigAndCentrally()
    {
        XDocument central = XDocument.Load(Path.Combine(Root, "Directory.Packages.props"));
        string centralVersion = central.Descendants("PackageVersion").Single(item => (string?)item.Attribute("Include") == "nanoFramework.CoreLibrary").Attribute("Version")!.Value;

        foreach (string project in NanoFrameworkProjects)
        {
            Dictionary<string, string> packages = PackagesConfig(Path.Combine(Path.GetDirectoryName(project)!, "packages.config"));
            Assert.AreEqual(centralVersion, packages["nanoFramework.CoreLibrary"], project);
        }
    }

    [TestMethod]
    public void AppCompileCheck_ReferencesTheAppsLibraries()
    {
        string[] nfprojAssemblies = NfprojReferences("Firmware/App.nf/NanoInt8.App.nfproj").Select(reference => reference.Assembly).Where(name => name != "mscorlib").Order().ToArray();
        XDocument check = XDocument.Load(Path.Combine(Root, "Firmware/App.nanoclr/NanoInt8.App.nanoclr.csproj"));
        string[] checkAssemblies = check.Descendants("Reference").Select(item => item.Attribute("Include")!.Value).Order().ToArray();

        CollectionAssert.AreEqual(nfprojAssemblies, checkAssemblies);
    }

    [TestMethod]
    public void ExampleCompileCheck_ReferencesTheExamplesNanoFrameworkLibraries()
    {
        // The example references NanoInt8.Runtime (and NanoInt8.Kernels, which NuGet installs with it) as
        // packages; its compile check builds the runtime from source.
        string[] nfprojAssemblies = NfprojReferences("samples/AdcClassifier/AdcClassifier.nfproj").Select(reference => reference.Assembly)
            .Where(name => name != "mscorlib" && name != "NanoInt8.Runtime" && name != "NanoInt8.Kernels").Order().ToArray();
        XDocument check = XDocument.Load(Path.Combine(Root, "samples/AdcClassifier.nanoclr/AdcClassifier.nanoclr.csproj"));
        string[] checkAssemblies = check.Descendants("Reference").Select(item => item.Attribute("Include")!.Value).Order().ToArray();

        CollectionAssert.AreEqual(nfprojAssemblies, checkAssemblies);
    }

    [TestMethod]
    [DataRow("Runtime")]
    [DataRow("Kernels")]
    public void ExampleNfproj_ReferencesTheRuntimePackagesAtTheirAssemblyVersions(string name)
    {
        string assemblyInfo = File.ReadAllText(Path.Combine(Root, $"Firmware/{name}.nf/Properties/AssemblyInfo.cs"));
        string assemblyVersion = Regex.Match(assemblyInfo, @"AssemblyVersion\(""(?<version>[0-9.]+)""\)").Groups["version"].Value;

        NfprojReference runtime = NfprojReferences("samples/AdcClassifier/AdcClassifier.nfproj").Single(reference => reference.Assembly == "NanoInt8." + name);

        Assert.AreEqual(assemblyVersion, runtime.AssemblyVersion);
        Assert.AreEqual(new Version(assemblyVersion).ToString(3), runtime.PackageVersion, "the package version is the assembly version (Firmware/Packages/pack.sh)");
    }

    [TestMethod]
    public void SharedLibraries_WhenPresent_HaveTheAppsVersions()
    {
        string libs = Path.GetFullPath(Path.Combine(Root, "..", "shared", "nanoclr", "libs"));
        if (!Directory.Exists(libs))
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail($"{libs} is absent (CI=true: it must be there)");
            }

            Assert.Inconclusive($"skipped: {libs} is absent");
        }

        foreach (NfprojReference reference in NfprojReferences("Firmware/App.nf/NanoInt8.App.nfproj").Where(reference => reference.Assembly != "mscorlib"))
        {
            string file = Path.Combine(libs, reference.Assembly + ".dll");
            Assert.IsTrue(File.Exists(file), $"{file} is missing");
            Assert.AreEqual(reference.AssemblyVersion, AssemblyName.GetAssemblyName(file).Version!.ToString(), reference.Assembly);
        }
    }

    private static Dictionary<string, string> PackagesConfig(string relativePath)
    {
        XDocument document = XDocument.Load(Path.Combine(Root, relativePath));
        return document.Descendants("package").ToDictionary(package => package.Attribute("id")!.Value, package => package.Attribute("version")!.Value);
    }

    private static List<NfprojReference> NfprojReferences(string relativePath)
    {
        XDocument document = XDocument.Load(Path.Combine(Root, relativePath));
        XNamespace msbuild = document.Root!.Name.Namespace;
        List<NfprojReference> references = new();
        foreach (XElement reference in document.Descendants(msbuild + "Reference"))
        {
            string include = reference.Attribute("Include")!.Value;
            string hintPath = reference.Element(msbuild + "HintPath")!.Value;
            Match identity = IdentityPattern().Match(include);
            Match package = HintPathPattern().Match(hintPath);
            Assert.IsTrue(identity.Success, $"{relativePath}: Reference '{include}' has no Version=");
            Assert.IsTrue(package.Success, $"{relativePath}: HintPath '{hintPath}' is not ..\\..\\packages\\<id>.<version>\\lib\\...");
            references.Add(new NfprojReference(identity.Groups["name"].Value, identity.Groups["version"].Value, package.Groups["id"].Value, package.Groups["version"].Value));
        }

        return references;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "NanoInt8.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("NanoInt8.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^(?<name>[^,]+),\s*Version=(?<version>[0-9.]+)")]
    private static partial Regex IdentityPattern();

    // ..\..\packages\<id>.<major>.<minor>.<patch>\lib\<file>: the id itself contains dots.
    [GeneratedRegex(@"packages\\(?<id>.+?)\.(?<version>\d+\.\d+\.\d+)\\lib\\")]
    private static partial Regex HintPathPattern();

    private sealed record NfprojReference(string Assembly, string AssemblyVersion, string PackageId, string PackageVersion);
}
