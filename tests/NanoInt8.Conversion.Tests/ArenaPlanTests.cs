using NanoInt8.Conversion.Tests.Generators;
using NanoInt8.Host.Conversion;
using NanoInt8.Onnx;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// The bar for the memory plan: on the test models the arena stays within 5 % of the lower
/// bound (the largest sum of tensors live at one step). Checked on the generated networks, where
/// tensors of different sizes live across residual connections, and reported per model.
/// </summary>
[TestClass]
public sealed class ArenaPlanTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(Family.Cnn)]
    [DataRow(Family.Mlp)]
    public void Convert_GeneratedNetworks_ArenaWithinFivePercentOfLowerBound(string family)
    {
        var generator = new QuantizedModelGenerator();
        var failures = new List<string>();
        for (int seed = 0; seed < TestSeeds.NetworkModels; seed++)
        {
            GeneratedModel model = generator.Generate(family, seed);
            ConversionResult result = OnnxConverter.Convert(OnnxModel.Load(model.Bytes));
            double ratio = result.ArenaLowerBound == 0 ? 1 : (double)result.Model.ArenaBytes / result.ArenaLowerBound;
            string line = FormattableString.Invariant($"{model}: arena {result.Model.ArenaBytes} bytes, lower bound {result.ArenaLowerBound}, ratio {ratio:F4}");
            TestContext.WriteLine(line);
            if (ratio > 1.05)
            {
                failures.Add(line);
            }
        }

        Assert.IsEmpty(failures, string.Join("\n", failures));
    }
}
