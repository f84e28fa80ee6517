using NanoInt8.Host.Format;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>hosttool inspect on hand-built .ni8 models.</summary>
    [TestClass]
    public sealed class InspectCommandTests
    {
        [TestMethod]
        public void Inspect_Ni8_TableWithOperatorKindsAndSources()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("convpool.ni8", ModelWriter.Write(Cli.ConvPoolModel()));

            CliResult result = Cli.Run("inspect", model, "--wide");

            Assert.AreEqual((int)ExitCode.Ok, result.ExitCode, result.Error);
            StringAssert.Contains(result.Output, "Conv2D");
            StringAssert.Contains(result.Output, "MaxPool");
            StringAssert.Contains(result.Output, "conv1");
            StringAssert.Contains(result.Output, "pool1");
            StringAssert.Contains(result.Output, "image: int8[1, 2, 4, 4]");
            Assert.AreEqual(string.Empty, result.Error);
        }

        [TestMethod]
        public void Inspect_Ni8_Totals()
        {
            using TempFolder folder = new TempFolder();
            byte[] blob = ModelWriter.Write(Cli.ConvPoolModel());
            string model = folder.Write("convpool.ni8", blob);

            CliResult result = Cli.Run("inspect", model);

            // Conv2D: N·O·OH·OW·C·KH·KW = 1·3·2·2·2·3·3 = 216 MACs.
            StringAssert.Contains(result.Output, "MACs          216 (every kernel tap, padding included)");
            StringAssert.Contains(result.Output, "operators     2 (Conv2D 1, MaxPool 1)");
            StringAssert.Contains(result.Output, "parameters    63");
            StringAssert.Contains(result.Output, "arena bytes   44");
            StringAssert.Contains(result.Output, $"model file    {blob.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes");
        }

        [TestMethod]
        public void Inspect_Ni8_RowPerOperatorWithMultiplierRange()
        {
            using TempFolder folder = new TempFolder();
            string model = folder.Write("convpool.ni8", ModelWriter.Write(Cli.ConvPoolModel()));

            CliResult result = Cli.Run("inspect", model, "--wide");

            // Multipliers 2^30 with shifts -1 .. -3: 2^-2 .. 2^-4.
            string convRow = result.Output.Split('\n').Single(line => line.Contains("Conv2D") && line.Contains("conv1"));
            StringAssert.Contains(convRow, "0.0625 .. 0.25");
            StringAssert.Contains(convRow, "[1, 2, 4, 4]");
            StringAssert.Contains(convRow, "[1, 3, 2, 2]");
        }
    }
}
