namespace NanoInt8.DeviceLoop.Tests;

/// <summary>The checkout this test runs from, and what lies beside it.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding NanoInt8.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The sample model, samples/vibration/model.ni8.</summary>
    public static string SampleModel => Path.Combine(Root, "samples", "vibration", "model.ni8");

    /// <summary>../shared/nanoclr beside the checkout (present in CI, absent in a user's fresh clone).</summary>
    public static string NanoClr => Path.GetFullPath(Path.Combine(Root, "..", "shared", "nanoclr"));

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
}
