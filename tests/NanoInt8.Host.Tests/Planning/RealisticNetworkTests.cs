using NanoInt8.Host.Planning;

namespace NanoInt8.Host.Tests.Planning
{
    /// <summary>
    /// Plans for the shapes of real networks: the arena must stay within 5% of the lower bound
    /// (bytes live at the busiest step), and a network of thousands of tensors must plan quickly.
    /// Sizes are int8 activation bytes, C·H·W for batch 1.
    /// </summary>
    [TestClass]
    public class RealisticNetworkTests
    {
        private const double AllowedExcess = 1.05;

        /// <summary>Set by MSTest; the measured ratios are written to the test log.</summary>
        public TestContext TestContext { get; set; } = null!;

        [TestMethod]
        public void Plan_SequentialCnnOfEightLayers_WithinFivePercentOfLowerBound()
        {
            // 3×96×96 input; conv s2 8×48×48, conv 16×48×48, maxpool 16×24×24, conv 32×24×24,
            // maxpool 32×12×12, conv 64×12×12, global average pool 64×1×1, flatten (in place), FC 10.
            var network = new TestNetwork();
            int tensor = network.Input(3 * 96 * 96);
            tensor = network.Operator(8 * 48 * 48, tensor);
            tensor = network.Operator(16 * 48 * 48, tensor);
            tensor = network.Operator(16 * 24 * 24, tensor);
            tensor = network.Operator(32 * 24 * 24, tensor);
            tensor = network.Operator(32 * 12 * 12, tensor);
            tensor = network.Operator(64 * 12 * 12, tensor);
            tensor = network.Operator(64, tensor);
            tensor = network.InPlace(tensor);
            tensor = network.Operator(10, tensor);
            network.Output(tensor);

            PlanAndCheck(network, "sequential CNN");
        }

        [TestMethod]
        public void Plan_Mlp_WithinFivePercentOfLowerBound()
        {
            // 28×28 image flattened in place, FC 512, 256, 128, 10, softmax.
            var network = new TestNetwork();
            int tensor = network.Input(28 * 28);
            tensor = network.InPlace(tensor);
            foreach (int width in new[] { 512, 256, 128, 10 })
            {
                tensor = network.Operator(width, tensor);
            }

            tensor = network.Operator(10, tensor);
            network.Output(tensor);

            PlanAndCheck(network, "MLP");
        }

        [TestMethod]
        public void Plan_ResidualNetwork_WithinFivePercentOfLowerBound()
        {
            // ResNet-8 style: stem conv 16×32×32; three blocks x -> conv -> conv -> add(x, ·), the
            // block input living across the whole block; a downsampling block whose shortcut conv
            // runs after both main-path convs, so its input lives across three steps; pool, FC.
            var network = new TestNetwork();
            int input = network.Input(3 * 32 * 32);
            int x = network.Operator(16 * 32 * 32, input);
            for (int block = 0; block < 3; block++)
            {
                int first = network.Operator(16 * 32 * 32, x);
                int second = network.Operator(16 * 32 * 32, first);
                x = network.Operator(16 * 32 * 32, x, second);
            }

            int down = network.Operator(32 * 16 * 16, x);
            int main = network.Operator(32 * 16 * 16, down);
            int shortcut = network.Operator(32 * 16 * 16, x);
            x = network.Operator(32 * 16 * 16, shortcut, main);
            int pooled = network.Operator(32, x);
            int logits = network.Operator(10, pooled);
            network.Output(logits);

            PlanAndCheck(network, "residual network");
        }

        [TestMethod]
        public void Plan_ConcatOfThreeBranches_WithinFivePercentOfLowerBound()
        {
            // Inception-style module: stem 32×32×32; branch 1 conv1x1 16×32×32; branch 2 conv1x1
            // 8×32×32 then conv3x3 16×32×32; branch 3 maxpool 32×32×32 then conv1x1 16×32×32;
            // concat 48×32×32; maxpool 48×16×16; global pool; FC.
            var network = new TestNetwork();
            int input = network.Input(3 * 32 * 32);
            int stem = network.Operator(32 * 32 * 32, input);
            int branch1 = network.Operator(16 * 32 * 32, stem);
            int branch2Reduce = network.Operator(8 * 32 * 32, stem);
            int branch2 = network.Operator(16 * 32 * 32, branch2Reduce);
            int branch3Pool = network.Operator(32 * 32 * 32, stem);
            int branch3 = network.Operator(16 * 32 * 32, branch3Pool);
            int concat = network.Operator(48 * 32 * 32, branch1, branch2, branch3);
            int pooled = network.Operator(48 * 16 * 16, concat);
            int global = network.Operator(48, pooled);
            int logits = network.Operator(10, global);
            network.Output(logits);

            PlanAndCheck(network, "concat of 3 branches");
        }

        [TestMethod]
        public void Plan_UNetWithLongSkips_WithinFivePercentOfLowerBound()
        {
            // Two-level U-Net on 64×64: each encoder output lives until the decoder concatenates it,
            // across the whole lower half of the network.
            var network = new TestNetwork();
            int input = network.Input(3 * 64 * 64);
            int encoder1 = network.Operator(16 * 64 * 64, network.Operator(16 * 64 * 64, input));
            int pooled1 = network.Operator(16 * 32 * 32, encoder1);
            int encoder2 = network.Operator(32 * 32 * 32, network.Operator(32 * 32 * 32, pooled1));
            int pooled2 = network.Operator(32 * 16 * 16, encoder2);
            int bottom = network.Operator(64 * 16 * 16, network.Operator(64 * 16 * 16, pooled2));
            int up2 = network.Operator(32 * 32 * 32, bottom);
            int decoder2 = network.Operator(32 * 32 * 32, network.Operator(64 * 32 * 32, up2, encoder2));
            int up1 = network.Operator(16 * 64 * 64, decoder2);
            int decoder1 = network.Operator(16 * 64 * 64, network.Operator(32 * 64 * 64, up1, encoder1));
            int mask = network.Operator(64 * 64, decoder1);
            network.Output(mask);

            PlanAndCheck(network, "U-Net");
        }

        [TestMethod]
        public void Plan_FiveThousandBuffers_IsValid()
        {
            // MobileNetV2-like: inverted residual blocks (expand, depthwise, project, add) with an
            // in-place requantize now and then, repeated until there are 5,000 tensors.
            TestNetwork network = InvertedResidualNetwork(5000);

            ArenaPlan plan = PlanLarge(network, "5,000 buffers, inverted residual");

            PlanVerifier.Verify(network.Buffers(), network.Aliases, plan);
        }

        [TestMethod]
        public void Plan_FiveThousandBuffersOfARandomGraph_IsValid()
        {
            // No real network: random sizes, inputs taken from up to 12 tensors back. With this seed
            // no plan reaches the bound, so this times the search spending its whole work budget.
            var random = new Random(1);
            var network = new TestNetwork();
            var tensors = new List<int> { network.Input(1000) };
            while (network.TensorCount < 4999)
            {
                int input = tensors[Math.Max(0, tensors.Count - 1 - random.Next(0, 4))];
                int size = random.Next(1, 64) * 256;
                if (random.Next(3) == 0)
                {
                    int skip = tensors[Math.Max(0, tensors.Count - 1 - random.Next(0, 12))];
                    tensors.Add(network.Operator(size, input, skip));
                }
                else
                {
                    tensors.Add(network.Operator(size, input));
                }
            }

            network.Output(network.Operator(10, tensors[^1]));

            ArenaPlan plan = PlanLarge(network, "5,000 buffers, random graph");

            PlanVerifier.Verify(network.Buffers(), network.Aliases, plan);
        }

        [TestMethod]
        public void Plan_InvertedResidualNetwork_WithinFivePercentOfLowerBound()
        {
            PlanAndCheck(InvertedResidualNetwork(400), "inverted residual network");
        }

        private static TestNetwork InvertedResidualNetwork(int tensorCount)
        {
            var network = new TestNetwork();
            int[] channels = { 16, 24, 32, 64, 96, 160 };
            int[] sides = { 48, 24, 12, 12, 6, 6 };
            int x = network.Input(3 * 96 * 96);
            x = network.Operator(channels[0] * sides[0] * sides[0], x);
            int block = 0;
            while (true)
            {
                int stage = (block / 3) % channels.Length;
                int area = sides[stage] * sides[stage];
                int expanded = channels[stage] * 6 * area;
                int output = channels[stage] * area;
                if (network.TensorCount + 6 > tensorCount)
                {
                    break;
                }

                int expand = network.Operator(expanded, x);
                int depthwise = network.Operator(expanded, expand);
                int project = network.Operator(output, depthwise);
                bool sameShape = block % 3 != 0;
                x = sameShape ? network.Operator(output, x, project) : project;
                if (block % 4 == 1)
                {
                    x = network.InPlace(x);
                }

                block++;
            }

            while (network.TensorCount < tensorCount - 1)
            {
                x = network.Operator(Math.Max(10, network.SizeOf(x) / 2), x);
            }

            x = network.Operator(10, x);
            network.Output(x);
            return network;
        }

        /// <summary>
        /// Plans a large network and reports its ratio. Speed is measured in
        /// bench/NanoInt8.Benchmarks (PlannerBenchmarks), not here: test machines are shared.
        /// </summary>
        private ArenaPlan PlanLarge(TestNetwork network, string name)
        {
            ArenaPlanner planner = network.ToPlanner();
            Assert.AreEqual(5000, planner.BufferCount);
            ArenaPlan plan = planner.Plan();
            double ratio = (double)plan.ArenaBytes / plan.LowerBound;
            TestContext.WriteLine($"{name}: arena {plan.ArenaBytes}, lower bound {plan.LowerBound}, ratio {ratio:F4}");
            return plan;
        }

        private void PlanAndCheck(TestNetwork network, string name)
        {
            ArenaPlan plan = network.ToPlanner().Plan();
            PlanVerifier.Verify(network.Buffers(), network.Aliases, plan);
            double ratio = (double)plan.ArenaBytes / plan.LowerBound;
            TestContext.WriteLine($"{name}: arena {plan.ArenaBytes}, lower bound {plan.LowerBound}, ratio {ratio:F4}");
            Assert.IsLessThanOrEqualTo(AllowedExcess, ratio, $"{name}: arena {plan.ArenaBytes} vs lower bound {plan.LowerBound}");
        }
    }
}
