using System.Text.RegularExpressions;
using NanoInt8.HostTool;

namespace NanoInt8.EmbeddedApp.Tests;

/// <summary>
/// The example app's files are what they claim: VibrationModel.cs is what its README's hosttool command
/// writes today, and the package README shows Program.cs and VibrationClassifier.cs as they are.
/// </summary>
[TestClass]
public partial class ExampleAppFilesTests
{
    [TestMethod]
    public void VibrationModelSource_IsWhatTheReadmesConvertCommandWrites()
    {
        string[] arguments = ExampleApp.ConvertArguments();
        string folder = Directory.CreateTempSubdirectory("nanoint8-example-").FullName;
        try
        {
            string written = Path.Combine(folder, Path.GetFileName(ExampleApp.Option(arguments, "-o")));
            arguments[Array.IndexOf(arguments, "-o") + 1] = written;
            string previous = Environment.CurrentDirectory;
            Environment.CurrentDirectory = RepositoryPaths.Root;
            int exitCode;
            using (StringWriter output = new(), error = new())
            {
                try
                {
                    exitCode = Program.RunAsync(arguments, output, error).GetAwaiter().GetResult();
                }
                finally
                {
                    Environment.CurrentDirectory = previous;
                }

                Assert.AreEqual(0, exitCode, error.ToString());
            }

            Assert.AreEqual(File.ReadAllText(written), File.ReadAllText(RepositoryPaths.File(ExampleApp.ModelSource)),
                $"{ExampleApp.ModelSource} is stale: run the command in {ExampleApp.Folder}/README.md");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void RuntimePackageReadme_ShowsTheExampleFilesAsTheyAre()
    {
        string readme = File.ReadAllText(RepositoryPaths.File("Firmware/Packages/NanoInt8.Runtime.md")).ReplaceLineEndings("\n");
        MatchCollection blocks = FileBlock().Matches(readme);

        CollectionAssert.AreEquivalent(new[] { ExampleApp.Folder + "/Program.cs", ExampleApp.Folder + "/VibrationClassifier.cs" },
            blocks.Select(block => block.Groups["path"].Value).ToArray());
        foreach (Match block in blocks)
        {
            string path = block.Groups["path"].Value;
            Assert.AreEqual(File.ReadAllText(RepositoryPaths.File(path)).ReplaceLineEndings("\n"), block.Groups["code"].Value,
                $"Firmware/Packages/NanoInt8.Runtime.md shows another {path}");
        }
    }

    // "<!-- PATH -->" on its own line, then a ```csharp block: the README's copy of that file.
    [GeneratedRegex(@"^<!-- (?<path>\S+\.cs) -->\n```csharp\n(?<code>.*?)```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FileBlock();
}
