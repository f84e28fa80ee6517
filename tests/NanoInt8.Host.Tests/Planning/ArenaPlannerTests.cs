using NanoInt8.Host.Planning;

namespace NanoInt8.Host.Tests.Planning
{
    /// <summary>Small hand-checked plans and the planner's argument checks.</summary>
    [TestClass]
    public class ArenaPlannerTests
    {
        [TestMethod]
        public void Plan_NoBuffers_EmptyArena()
        {
            ArenaPlan plan = new ArenaPlanner().Plan();

            Assert.IsEmpty(plan.Offsets);
            Assert.AreEqual(0, plan.ArenaBytes);
            Assert.AreEqual(0, plan.LowerBound);
        }

        [TestMethod]
        public void AddBuffer_Ids_AreCallOrder()
        {
            var planner = new ArenaPlanner();

            Assert.AreEqual(0, planner.AddBuffer(10, -1, 0));
            Assert.AreEqual(1, planner.AddBuffer(0, 0, 1));
            Assert.AreEqual(2, planner.AddBuffer(10, 1, 2));
        }

        [TestMethod]
        public void Plan_ChainAToBToC_CReusesAsMemory()
        {
            // op0: A -> B, op1: B -> C (graph output, lives to operatorCount = 2).
            var planner = new ArenaPlanner();
            int a = planner.AddBuffer(100, -1, 0);
            int b = planner.AddBuffer(100, 0, 1);
            int c = planner.AddBuffer(100, 1, 2);

            ArenaPlan plan = planner.Plan();

            Assert.AreEqual(plan.Offsets[a], plan.Offsets[c]);
            Assert.AreEqual(100, Math.Abs(plan.Offsets[b] - plan.Offsets[a]));
            Assert.AreEqual(200, plan.ArenaBytes);
            Assert.AreEqual(200, plan.LowerBound);
        }

        [TestMethod]
        public void Plan_OutputOfStep_NeverSharesWithInputsOfThatStep()
        {
            // op0 reads A and B and writes C; A and B die at step 0, C is written at step 0. Placing
            // C first (it is the largest) must still keep A and B out of its bytes.
            var planner = new ArenaPlanner();
            int a = planner.AddBuffer(30, -1, 0);
            int b = planner.AddBuffer(20, -1, 0);
            int c = planner.AddBuffer(100, 0, 1);

            ArenaPlan plan = planner.Plan();

            Assert.AreEqual(0, plan.Offsets[c]);
            Assert.IsGreaterThanOrEqualTo(100, plan.Offsets[a]);
            Assert.IsGreaterThanOrEqualTo(100, plan.Offsets[b]);
            Assert.AreEqual(150, plan.ArenaBytes);
            Assert.AreEqual(150, plan.LowerBound);
        }

        [TestMethod]
        public void Plan_LifetimesTouchingAtOneStep_DoNotShare()
        {
            // [0, 3] and [3, 5] are both live at step 3.
            var planner = new ArenaPlanner();
            int first = planner.AddBuffer(8, 0, 3);
            int second = planner.AddBuffer(8, 3, 5);

            ArenaPlan plan = planner.Plan();

            Assert.AreNotEqual(plan.Offsets[first], plan.Offsets[second]);
            Assert.AreEqual(16, plan.ArenaBytes);
        }

        [TestMethod]
        public void Plan_DisjointLifetimes_ShareOffsetZero()
        {
            var planner = new ArenaPlanner();
            planner.AddBuffer(40, 0, 2);
            planner.AddBuffer(60, 3, 5);

            ArenaPlan plan = planner.Plan();

            CollectionAssert.AreEqual(new[] { 0, 0 }, plan.Offsets.ToArray());
            Assert.AreEqual(60, plan.ArenaBytes);
            Assert.AreEqual(60, plan.LowerBound);
        }

        [TestMethod]
        public void Plan_AliasChain_SharesOneOffset()
        {
            // op0: conv A -> B; op1: Reshape B -> C in place; op2: Requantize C -> D in place;
            // op3: FC D -> E (graph output).
            var planner = new ArenaPlanner();
            int a = planner.AddBuffer(300, -1, 0);
            int b = planner.AddBuffer(200, 0, 1);
            int c = planner.AddBuffer(200, 1, 2);
            int d = planner.AddBuffer(200, 2, 3);
            int e = planner.AddBuffer(50, 3, 4);
            planner.AddAlias(c, b);
            planner.AddAlias(d, c);

            ArenaPlan plan = planner.Plan();

            Assert.AreEqual(plan.Offsets[b], plan.Offsets[c]);
            Assert.AreEqual(plan.Offsets[b], plan.Offsets[d]);
            var buffers = new[]
            {
                new BufferSpec(300, -1, 0), new BufferSpec(200, 0, 1), new BufferSpec(200, 1, 2),
                new BufferSpec(200, 2, 3), new BufferSpec(50, 3, 4),
            };
            PlanVerifier.Verify(buffers, new[] { (c, b), (d, c) }, plan);
            Assert.AreEqual(500, plan.LowerBound, "A + the group at step 0; the group counts once");
            Assert.AreEqual(500, plan.ArenaBytes);
            Assert.AreEqual(plan.Offsets[a], plan.Offsets[e], "E reuses A's bytes, away from the group it reads");
        }

        [TestMethod]
        public void Plan_AliasGroup_IsLiveOverTheUnionOfItsLifetimes()
        {
            // The group {B [0,1], C [1,4]} spans [0, 4]: X, live at [2, 3], may not use its bytes even
            // though it never meets B.
            var planner = new ArenaPlanner();
            int b = planner.AddBuffer(100, 0, 1);
            int c = planner.AddBuffer(100, 1, 4);
            int x = planner.AddBuffer(100, 2, 3);
            planner.AddAlias(c, b);

            ArenaPlan plan = planner.Plan();

            Assert.AreEqual(plan.Offsets[b], plan.Offsets[c]);
            Assert.AreEqual(100, Math.Abs(plan.Offsets[x] - plan.Offsets[b]));
            Assert.AreEqual(200, plan.LowerBound);
        }

        [TestMethod]
        public void Plan_AliasOfDifferentSizes_GroupTakesTheLarger()
        {
            var planner = new ArenaPlanner();
            int small = planner.AddBuffer(10, 0, 1);
            int large = planner.AddBuffer(70, 1, 2);
            int other = planner.AddBuffer(5, 2, 2);
            planner.AddAlias(large, small);

            ArenaPlan plan = planner.Plan();

            Assert.AreEqual(plan.Offsets[small], plan.Offsets[large]);
            Assert.AreEqual(75, plan.LowerBound);
            Assert.AreEqual(75, plan.ArenaBytes);
            Assert.IsTrue(plan.Offsets[other] >= plan.Offsets[large] + 70 || plan.Offsets[other] + 5 <= plan.Offsets[large]);
        }

        [TestMethod]
        public void Plan_GraphOutputWrittenEarly_IsNotReused()
        {
            // op0: I -> O (an early output head, live to operatorCount = 4); op1: I -> X; op2: X -> Y;
            // op3: Y -> Z (graph output). Without the output rule X, Y or Z could reuse O's bytes.
            var network = new TestNetwork();
            int input = network.Input(100);
            int earlyOutput = network.Operator(40, input);
            int x = network.Operator(100, input);
            int y = network.Operator(100, x);
            int z = network.Operator(100, y);
            network.Output(earlyOutput);
            network.Output(z);

            ArenaPlan plan = network.ToPlanner().Plan();

            IReadOnlyList<BufferSpec> buffers = network.Buffers();
            Assert.AreEqual(new BufferSpec(40, 0, 4), buffers[earlyOutput]);
            PlanVerifier.Verify(buffers, network.Aliases, plan);
            foreach (int later in new[] { x, y, z })
            {
                bool apart = plan.Offsets[later] >= plan.Offsets[earlyOutput] + 40
                    || plan.Offsets[later] + 100 <= plan.Offsets[earlyOutput];
                Assert.IsTrue(apart, $"tensor {later} overlaps the early graph output");
            }

            Assert.AreEqual(240, plan.LowerBound);
            Assert.AreEqual(240, plan.ArenaBytes);
        }

        [TestMethod]
        public void Plan_ZeroSizedBuffer_TakesNoSpace()
        {
            var planner = new ArenaPlanner();
            planner.AddBuffer(50, 0, 2);
            int empty = planner.AddBuffer(0, 0, 2);
            planner.AddBuffer(50, 1, 3);

            ArenaPlan plan = planner.Plan();

            Assert.AreEqual(0, plan.Offsets[empty]);
            Assert.AreEqual(100, plan.LowerBound);
            Assert.AreEqual(100, plan.ArenaBytes);
        }

        [TestMethod]
        public void Plan_Alignment_RoundsEveryOffsetUp()
        {
            var planner = new ArenaPlanner(alignment: 4);
            planner.AddBuffer(7, -1, 0);
            planner.AddBuffer(5, 0, 1);
            planner.AddBuffer(3, 0, 2);

            ArenaPlan plan = planner.Plan();

            PlanVerifier.Verify(
                new[] { new BufferSpec(7, -1, 0), new BufferSpec(5, 0, 1), new BufferSpec(3, 0, 2) },
                Array.Empty<(int, int)>(),
                plan,
                alignment: 4);
            Assert.AreEqual(15, plan.LowerBound);
            Assert.AreEqual(17, plan.ArenaBytes, "the best stacking at multiples of 4: 7 at 0, 3 at 8, 5 at 12 (or 3, 7, 5)");
        }

        [TestMethod]
        public void Plan_SameBuffersTwice_SamePlan()
        {
            static ArenaPlanner Build()
            {
                var planner = new ArenaPlanner();
                var random = new Random(7);
                for (int buffer = 0; buffer < 300; buffer++)
                {
                    int first = random.Next(-1, 100);
                    planner.AddBuffer(random.Next(0, 5) * 16, first, first + random.Next(0, 6));
                }

                planner.AddAlias(5, 3);
                return planner;
            }

            ArenaPlanner planner = Build();
            ArenaPlan first = planner.Plan();
            ArenaPlan again = planner.Plan();
            ArenaPlan rebuilt = Build().Plan();

            CollectionAssert.AreEqual(first.Offsets.ToArray(), again.Offsets.ToArray());
            CollectionAssert.AreEqual(first.Offsets.ToArray(), rebuilt.Offsets.ToArray());
        }

        [TestMethod]
        public void AddBuffer_NegativeSize_Throws()
        {
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ArenaPlanner().AddBuffer(-1, 0, 0));
        }

        [TestMethod]
        public void AddBuffer_FirstStepBelowMinusOne_Throws()
        {
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ArenaPlanner().AddBuffer(1, -2, 0));
        }

        [TestMethod]
        public void AddBuffer_LastStepBeforeFirst_Throws()
        {
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ArenaPlanner().AddBuffer(1, 3, 2));
        }

        [TestMethod]
        public void AddAlias_UnknownId_Throws()
        {
            var planner = new ArenaPlanner();
            planner.AddBuffer(1, 0, 1);

            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => planner.AddAlias(1, 0));
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => planner.AddAlias(0, -1));
        }

        [TestMethod]
        public void AddAlias_Itself_Throws()
        {
            var planner = new ArenaPlanner();
            planner.AddBuffer(1, 0, 1);

            Assert.ThrowsExactly<ArgumentException>(() => planner.AddAlias(0, 0));
        }

        [TestMethod]
        public void Constructor_AlignmentBelowOne_Throws()
        {
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ArenaPlanner(alignment: 0));
        }
    }
}
