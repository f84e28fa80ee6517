using System;
using System.Linq;
using System.Reflection;
using NanoInt8.Host.Format;
using NanoInt8.Runtime.Operators;

namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// The interpreter's operator records on the device heap: each record class's stated field
    /// count is its real one (nanoCLR stores a block per field), and the reader counts the records
    /// against the memory budget before any exists (ModelReader.FitsBudget), so a model of tens of
    /// thousands of operators cannot make a device allocate them unchecked.
    /// </summary>
    [TestClass]
    public class PreparedOperatorMemoryTests
    {
        [TestMethod]
        public void RecordClasses_FieldCount_IsTheirInstanceFieldsInheritedIncluded()
        {
            Type[] records = typeof(PreparedOperator).Assembly.GetTypes()
                .Where(type => type.IsSubclassOf(typeof(PreparedOperator)) || type == typeof(ConcatInput))
                .ToArray();

            Assert.IsTrue(records.Length >= 20, $"{records.Length} record classes");
            foreach (Type record in records)
            {
                FieldInfo stated = record.GetField("FieldCount", BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    ?? throw new AssertFailedException($"{record.Name} states no FieldCount of its own");
                int actual = 0;
                for (Type type = record; type != null; type = type.BaseType)
                {
                    actual += type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Length;
                }

                Assert.AreEqual((int)stated.GetValue(null), actual, record.Name);
            }
        }

        [TestMethod]
        public void FitsBudget_RecordsWithinTheReserve_DeviceBytesDecide()
        {
            Assert.IsTrue(ModelReader.FitsBudget(1000, ModelReader.PreparedBytesInReserve, 1000));
            Assert.IsFalse(ModelReader.FitsBudget(1001, 0, 1000));
            Assert.IsFalse(ModelReader.FitsBudget(1000, ModelReader.PreparedBytesInReserve + 1, 1000));
            Assert.IsTrue(ModelReader.FitsBudget(1000, ModelReader.PreparedBytesInReserve + 1, 1001));
        }

        [TestMethod]
        public void TryRead_ChainOfReshapes_RecordsBeyondTheReserveCountAgainstTheBudget()
        {
            byte[] blob = ReshapeChain(200);
            int deviceBytes = ModelReader.GetDeviceBytes(blob, 0);
            Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, int.MaxValue, out Model model));
            long prepared = Interpreter.PreparedBytes(model);
            // The array of 200 references and 200 records of a header and five fields each.
            Assert.AreEqual(PreparedOperator.ArrayBytes(200, 12) + 200 * 72, prepared);
            int needed = (int)(deviceBytes + prepared - ModelReader.PreparedBytesInReserve);

            Assert.AreEqual(ModelError.TooLarge, ModelReader.TryRead(blob, needed - 1, out _));
            Assert.AreEqual(ModelError.None, ModelReader.TryRead(blob, needed, out _));
        }

        [TestMethod]
        public void TryRead_HostileModelOf65534Operators_TooLargeBeforeAnyRecordOrValidation()
        {
            // Its deviceBytes fit the budget, its records (4.7 MB) do not: refused from the decoded
            // operator table alone, before the quadratic plan validation would even start.
            byte[] blob = ReshapeChain(65534);
            int deviceBytes = ModelReader.GetDeviceBytes(blob, 0);

            Assert.AreEqual(ModelError.TooLarge, ModelReader.TryRead(blob, deviceBytes, out Model model));
            Assert.IsNull(model);
        }

        // Input [1] through `count` in-place Reshapes of one element each: the smallest records there are.
        private static byte[] ReshapeChain(int count)
        {
            ModelBuilder builder = new ModelBuilder();
            int previous = builder.AddArenaTensor("x", new[] { 1 }, 0, 0);
            builder.Inputs.Add(previous);
            for (int step = 0; step < count; step++)
            {
                int next = builder.AddArenaTensor("t" + step, new[] { 1 }, 0, 0);
                builder.AddOperator(OpCode.Reshape, new[] { previous }, new[] { next }, OperatorWords.Reshape());
                previous = next;
            }

            builder.Outputs.Add(previous);
            builder.ArenaBytes = 1;
            return ModelWriter.Write(builder);
        }
    }
}
