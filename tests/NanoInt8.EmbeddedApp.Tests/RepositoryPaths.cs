namespace NanoInt8.EmbeddedApp.Tests;

/// <summary>The checkout this test runs from, what lies beside it, and the tests that need nanoCLR.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding NanoInt8.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>../shared/nanoclr beside the checkout (present in CI, absent in a user's fresh clone).</summary>
    public static string NanoClr => Path.GetFullPath(Path.Combine(Root, "..", "shared", "nanoclr"));

    /// <summary>A path below the repository root, given with forward slashes.</summary>
    public static string File(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// Ends the test as inconclusive, with one line saying why, when ../shared/nanoclr is absent; with
    /// CI=true that absence is a failure.
    /// </summary>
    public static void RequireNanoClr(string what)
    {
        if (System.IO.File.Exists(Path.Combine(NanoClr, "run-nf.sh")))
        {
            return;
        }

        string message = $"skipped: {NanoClr} is absent, {what}";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(message + " (CI=true: it must)");
        }

        Assert.Inconclusive(message);
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(folder.FullName, "NanoInt8.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("NanoInt8.sln not found above " + AppContext.BaseDirectory);
    }
}
