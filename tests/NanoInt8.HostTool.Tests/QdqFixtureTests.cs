using NanoInt8.Onnx;

namespace NanoInt8.HostTool.Tests
{
    /// <summary>The ONNX model the converter tests feed hosttool is itself a valid model.</summary>
    [TestClass]
    public sealed class QdqFixtureTests
    {
        [TestMethod]
        public void QdqConvOnnx_RunsInOnnxRuntime()
        {
            NpyArray output = new OnnxRuntimeRunner().Run(Cli.QdqConvOnnx(), new Dictionary<string, NpyArray> { ["images"] = Cli.QdqConvInput() })[0];

            CollectionAssert.AreEqual(new[] { 1, 3, 5, 5 }, output.Shape);
            // Relu then quantization with zero point -128: every value is a multiple of 0.1 in [0, 25.5],
            // and the fixture is only useful if some are above zero.
            float[] values = output.AsFloats();
            Assert.IsTrue(values.All(value => value >= 0 && value <= 25.5f));
            Assert.IsTrue(values.Count(value => value > 0) > 10, string.Join(", ", values));
        }
    }
}
