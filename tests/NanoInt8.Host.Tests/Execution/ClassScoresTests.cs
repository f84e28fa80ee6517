using NanoInt8.Host.Execution;
using NanoInt8.Host.Format;
using NanoInt8.Onnx;

namespace NanoInt8.Host.Tests.Execution
{
    /// <summary>The top classes of a labelled output: softmax of logits, probabilities as they are, integer outputs dequantized.</summary>
    [TestClass]
    public sealed class ClassScoresTests
    {
        private static readonly string[] s_labels = { "a", "b", "c" };

        [TestMethod]
        public void Top_Logits_SoftmaxMostLikelyFirst()
        {
            GraphTensor output = new GraphTensor("logits", 0, new[] { 1, 3 }, OriginalElementType.Float32, 0.1f, 0, s_labels);

            ClassScore[] top = ClassScores.Top(output, new NpyArray(new float[] { 0f, 2f, 1f }, 1, 3), 2).Single().ToArray();

            // softmax(0, 2, 1) = (0.0900, 0.6652, 0.2447).
            Assert.AreEqual("b", top[0].Label);
            Assert.AreEqual(0.6652, top[0].Probability, 1e-4);
            Assert.AreEqual("c", top[1].Label);
            Assert.AreEqual(0.2447, top[1].Probability, 1e-4);
        }

        [TestMethod]
        public void Top_Probabilities_TakenAsTheyAre()
        {
            GraphTensor output = new GraphTensor("p", 0, new[] { 1, 3 }, OriginalElementType.Float32, 1f / 256, -128, s_labels);

            ClassScore top = ClassScores.Top(output, new NpyArray(new float[] { 0.1f, 0.2f, 0.69f }, 1, 3), 1).Single().Single();

            Assert.AreEqual("c", top.Label);
            Assert.AreEqual(0.69, top.Probability, 1e-6);
        }

        [TestMethod]
        public void Top_Int8Output_DequantizedThenSoftmax_OneRowPerSample()
        {
            // Scale 0.5, zero point 10: q = 10, 14, 12 are the logits 0, 2, 1.
            GraphTensor output = new GraphTensor("q", 0, new[] { 1, 3 }, OriginalElementType.Int8, 0.5f, 10, s_labels);

            IReadOnlyList<IReadOnlyList<ClassScore>> rows = ClassScores.Top(output, new NpyArray(new sbyte[] { 10, 14, 12, 14, 10, 12 }, 2, 3), 1);

            Assert.HasCount(2, rows);
            Assert.AreEqual(0.6652, rows[0].Single().Probability, 1e-4);
            Assert.AreEqual("a", rows[1].Single().Label);
        }

        [TestMethod]
        public void Top_NoLabels_NoRows()
        {
            GraphTensor output = new GraphTensor("y", 0, new[] { 1, 3 }, OriginalElementType.Float32, 1f, 0);

            Assert.IsEmpty(ClassScores.Top(output, new NpyArray(new float[3], 1, 3), 3));
        }
    }
}
