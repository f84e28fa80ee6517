using System.Globalization;
using System.Text.RegularExpressions;
using NanoInt8.Tests.Shared;

namespace NanoInt8.EmbeddedApp.Tests;

/// <summary>The example app's files and the conversion its README gives for VibrationModel.cs.</summary>
internal static partial class ExampleApp
{
    /// <summary>The app's folder.</summary>
    public const string Folder = "samples/AdcClassifier";

    /// <summary>The generated model source.</summary>
    public const string ModelSource = Folder + "/VibrationModel.cs";

    /// <summary>The nanoCLR build of the app.</summary>
    public const string NanoClrProject = "samples/AdcClassifier.nanoclr/AdcClassifier.nanoclr.csproj";

    /// <summary>Readings per window: the model's input length.</summary>
    public const int WindowLength = 128;

    /// <summary>
    /// The hosttool arguments of the README's "./hosttool convert ..." line (after "./hosttool"),
    /// which writes <see cref="ModelSource"/>.
    /// </summary>
    public static string[] ConvertArguments()
    {
        string readme = File.ReadAllText(RepositoryPaths.File(Folder + "/README.md"));
        Match command = ConvertCommand().Match(readme);
        Assert.IsTrue(command.Success, $"{Folder}/README.md has no ./hosttool convert line");
        return command.Groups["arguments"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The value of option <paramref name="name"/> in <paramref name="arguments"/>.</summary>
    public static string Option(string[] arguments, string name)
    {
        int at = Array.IndexOf(arguments, name);
        Assert.IsTrue(at >= 0 && at + 1 < arguments.Length, $"the convert command has no {name} value");
        return arguments[at + 1];
    }

    /// <summary>What one raw count is worth in the model's input unit (g), from the README's command.</summary>
    public static float RawScale() => float.Parse(Option(ConvertArguments(), "--raw-input-scale"), CultureInfo.InvariantCulture);

    /// <summary>The reading of 0 g, from the README's command.</summary>
    public static int RawOffset() => int.Parse(Option(ConvertArguments(), "--raw-input-offset"), CultureInfo.InvariantCulture);

    /// <summary>The .ni8 bytes embedded in <see cref="ModelSource"/>: the model the app runs.</summary>
    public static byte[] EmbeddedModelBytes() => EmbeddedModelSource.Bytes(File.ReadAllText(RepositoryPaths.File(ModelSource)));

    [GeneratedRegex(@"^\./hosttool (?<arguments>convert .*)$", RegexOptions.Multiline)]
    private static partial Regex ConvertCommand();
}
