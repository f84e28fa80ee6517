using System.Diagnostics;

namespace NanoInt8.Tests.Shared;

/// <summary>
/// Runs a program to its end and fails the test, with its output, when it exits non-zero: the builds and
/// nanoCLR runs of the tests that run device code on the real interpreter.
/// </summary>
internal static class ChildProcess
{
    /// <summary>The program's stdout.</summary>
    public static string Run(string program, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        ProcessStartInfo start = new(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The test host's own MSBuild settings must not leak into a nested build.
        foreach (string name in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(name);
        }

        foreach (KeyValuePair<string, string> variable in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable.Key] = variable.Value;
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"{Path.GetFileName(program)} {string.Join(' ', start.ArgumentList)} failed:\n{output}\n{error.Result}");
        return output;
    }
}
