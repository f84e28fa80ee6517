namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// EmbeddedModel, the API of an app that embeds its model, on .NET and on the device: every
    /// failure is an error code (no exception), the memory budget is enforced, raw readings become the
    /// int8 values the transform of metadata key 8 defines (QuantizeLinear of (raw - offset) · scale with
    /// the pair's one rounding, ties to even), and a run gives the interpreter's output.
    /// </summary>
    [TestClass]
    public class EmbeddedModelTests
    {
        // TinyCnn: input [1, 2, 4, 4] (32 elements, zero point -3), output [1, 4].
        private const int InputLength = 32;
        private const int OutputLength = 4;
        private const int InputZeroPoint = -3;
        private const int Budget = 1 << 20;

        // A Q31 transform with r = 2^30 · 2^(-1 - 31) = 1/4 around reading 1000. The input saturates
        // (zero point -3) from (-129 + 3) · 4 = -504 and (128 + 3) · 4 = 524 readings away.
        private const int RawOffset = 1000;

        [TestMethod]
        public void Load_TinyCnn_RunsAsTheInterpreter()
        {
            EmbeddedModel model = Load(TestModels.TinyCnnBlob());
            sbyte[] output = new sbyte[OutputLength];

            Assert.AreEqual((int)EmbeddedModelError.None, (int)model.SetInput(0, TestModels.TinyCnnInput(), 0));
            Assert.AreEqual((int)EmbeddedModelError.None, (int)model.Invoke());
            Assert.AreEqual((int)EmbeddedModelError.None, (int)model.GetOutput(0, output, 0));

            KernelTestSupport.AssertEqual(TestModels.TinyCnnExpectedOutput(), output);
        }

        [TestMethod]
        public void GetTopClass_TiedMaximum_GivesTheFirst()
        {
            // The expected output is -26, -102, -102, -26: elements 0 and 3 tie.
            EmbeddedModel model = Load(TestModels.TinyCnnBlob());
            model.SetInput(0, TestModels.TinyCnnInput(), 0);
            model.Invoke();
            int top;

            Assert.AreEqual((int)EmbeddedModelError.None, (int)model.GetTopClass(0, out top));

            Assert.AreEqual(0, top);
        }

        [TestMethod]
        public void Lengths_TinyCnn_AreItsInputAndOutputElements()
        {
            EmbeddedModel model = Load(TestModels.TinyCnnBlob());
            int input;
            int output;

            model.GetInputLength(0, out input);
            model.GetOutputLength(0, out output);

            Assert.AreEqual(1, model.InputCount);
            Assert.AreEqual(1, model.OutputCount);
            Assert.AreEqual(InputLength, input);
            Assert.AreEqual(OutputLength, output);
        }

        [TestMethod]
        public void Load_BudgetOneByteBelowRequiredBytes_TooLargeAndNoModel()
        {
            int required = Load(TestModels.TinyCnnBlob()).RequiredBytes;
            EmbeddedModel refused;
            EmbeddedModel accepted;

            EmbeddedModelError below = EmbeddedModel.Load(TestModels.TinyCnnBlob(), required - 1, out refused);
            EmbeddedModelError exact = EmbeddedModel.Load(TestModels.TinyCnnBlob(), required, out accepted);

            Assert.AreEqual((int)EmbeddedModelError.TooLarge, (int)below);
            Assert.IsNull(refused);
            Assert.AreEqual((int)EmbeddedModelError.None, (int)exact);
            Assert.IsNotNull(accepted);
        }

        [TestMethod]
        public void Load_NegativeBudgets_TooLarge()
        {
            EmbeddedModel model;

            Assert.AreEqual((int)EmbeddedModelError.TooLarge, (int)EmbeddedModel.Load(TestModels.TinyCnnBlob(), -1, out model));
            Assert.AreEqual((int)EmbeddedModelError.TooLarge, (int)EmbeddedModel.Load(TestModels.TinyCnnBlob(), int.MinValue, out model));
            Assert.IsNull(model);
        }

        [TestMethod]
        public void RequiredBytes_TinyCnn_CountsDeviceBytesRecordsStagingAndOverhead()
        {
            byte[] blob = TestModels.TinyCnnBlob();
            Model decoded;
            ModelReader.TryRead(blob, Budget, out decoded);

            EmbeddedModel model = Load(blob);

            // Staging: the larger of the 32-element input and the 4-element output.
            long expected = decoded.DeviceBytes + Interpreter.PreparedBytes(decoded) + InputLength + EmbeddedModel.OverheadBytes;
            Assert.AreEqual(expected, (long)model.RequiredBytes);
        }

        [TestMethod]
        public void Load_BlobsTheReaderRefuses_GiveTheReadersCode()
        {
            byte[] corrupted = TestModels.TinyCnnBlob();
            corrupted[200] ^= 0x40;
            byte[] badMagic = TestModels.TinyCnnBlob();
            badMagic[0] = 0;
            EmbeddedModel model;

            Assert.AreEqual((int)ModelError.TooShort, (int)EmbeddedModel.Load(null, Budget, out model));
            Assert.AreEqual((int)ModelError.TooShort, (int)EmbeddedModel.Load(new byte[10], Budget, out model));
            Assert.AreEqual((int)ModelError.BadMagic, (int)EmbeddedModel.Load(badMagic, Budget, out model));
            Assert.AreEqual((int)ModelError.PayloadCrcMismatch, (int)EmbeddedModel.Load(corrupted, Budget, out model));
            Assert.IsNull(model);
        }

        [TestMethod]
        public void SetRawInput_ModelWithoutTransform_NoInputTransform()
        {
            EmbeddedModel model = Load(TestModels.TinyCnnBlob());

            Assert.IsFalse(model.HasRawInputTransform);
            Assert.AreEqual((int)EmbeddedModelError.NoInputTransform, (int)model.SetRawInput(0, new int[InputLength], 0));
        }

        [TestMethod]
        public void Apply_QuarterRatio_RoundsHalfToEvenAndSaturatesBeyondTheBounds()
        {
            int[] words = QuarterTransform();
            int[] raw = new int[] { 1000, 1001, 1002, 1003, 1006, 998, 994, 1510, 1514, 1524, 1525, 496, 495, 0, int.MinValue, int.MaxValue };
            // -3 + round((raw - 1000) / 4): 0, 0.25, 0.5, 0.75, 1.5, -0.5, -1.5, 127.5, 128.5, 131 (saturates), beyond RawMax,
            // -126 (saturates), beyond RawMin ...
            sbyte[] expected = new sbyte[] { -3, -3, -3, -2, -1, -3, -5, 125, 125, 127, 127, -128, -128, -128, -128, 127 };
            sbyte[] actual = new sbyte[raw.Length];

            RawInputTransform.Apply(words, 0, InputZeroPoint, raw, 0, actual, 0, raw.Length);

            KernelTestSupport.AssertEqual(expected, actual);
        }

        [TestMethod]
        public void SetRawInput_QuarterTransform_RunsAsSetInputOfTheTransformedValues()
        {
            EmbeddedModel model = Load(WithRawInputEntry(TestModels.TinyCnnBlob(), QuarterTransform()));
            int[] raw = new int[InputLength];
            sbyte[] quantized = new sbyte[InputLength];
            for (int i = 0; i < InputLength; i++)
            {
                raw[i] = RawOffset + (i * 37 % 64 - 32) * 9;
                quantized[i] = (sbyte)Clamp(InputZeroPoint + RoundHalfToEvenQuarter(raw[i] - RawOffset));
            }

            sbyte[] fromRaw = new sbyte[OutputLength];
            sbyte[] fromInt8 = new sbyte[OutputLength];

            Assert.IsTrue(model.HasRawInputTransform);
            Assert.AreEqual((int)EmbeddedModelError.None, (int)model.SetRawInput(0, raw, 0));
            model.Invoke();
            model.GetOutput(0, fromRaw, 0);
            model.SetInput(0, quantized, 0);
            model.Invoke();
            model.GetOutput(0, fromInt8, 0);

            KernelTestSupport.AssertEqual(fromInt8, fromRaw);
        }

        [TestMethod]
        public void Load_MalformedTransforms_BadInputTransform()
        {
            int[] zeroMultiplier = QuarterTransform();
            zeroMultiplier[RawInputTransform.Multiplier] = 0;
            int[] minAboveOffset = QuarterTransform();
            minAboveOffset[RawInputTransform.RawMin] = RawOffset + 1;
            int[] spanTooWide = QuarterTransform();
            spanTooWide[RawInputTransform.RawMax] = RawOffset + RawInputTransform.MaxRawSpan + 1;
            int[] productTooLarge = QuarterTransform();
            // r < 2^11 with shift 10; 2^20 readings of span · 2^11 > 2^30.
            productTooLarge[RawInputTransform.Shift] = 10;
            productTooLarge[RawInputTransform.RawMax] = RawOffset + (1 << 20);
            int[] unknownArithmetic = QuarterTransform();
            unknownArithmetic[RawInputTransform.Arithmetic] = 7;
            int[][] transforms = new int[][] { zeroMultiplier, minAboveOffset, spanTooWide, productTooLarge, unknownArithmetic };

            for (int i = 0; i < transforms.Length; i++)
            {
                EmbeddedModel model;
                EmbeddedModelError error = EmbeddedModel.Load(WithRawInputEntry(TestModels.TinyCnnBlob(), transforms[i]), Budget, out model);
                Assert.AreEqual((int)EmbeddedModelError.BadInputTransform, (int)error, "transform " + i.ToString());
                Assert.IsNull(model);
            }
        }

        [TestMethod]
        public void Load_TransformEntryOfTheWrongLengthOrTwice_BadInputTransform()
        {
            byte[] shortEntry = WithMetadataEntry(TestModels.TinyCnnBlob(), RawInputTransform.MetadataKey, new byte[4 * RawInputTransform.Words - 4]);
            byte[] twice = WithRawInputEntry(WithRawInputEntry(TestModels.TinyCnnBlob(), QuarterTransform()), QuarterTransform());
            EmbeddedModel model;

            Assert.AreEqual((int)EmbeddedModelError.BadInputTransform, (int)EmbeddedModel.Load(shortEntry, Budget, out model));
            Assert.AreEqual((int)EmbeddedModelError.BadInputTransform, (int)EmbeddedModel.Load(twice, Budget, out model));
        }

        [TestMethod]
        public void Load_MetadataEntryRunningPastTheEnd_BadInputTransform()
        {
            // A last entry whose length field claims more bytes than the section has.
            byte[] blob = WithMetadataEntry(TestModels.TinyCnnBlob(), 99, new byte[8]);
            TestModels.WriteInt32(blob, blob.Length - 12, 9);
            TestModels.FixCrcs(blob);
            EmbeddedModel model;

            Assert.AreEqual((int)EmbeddedModelError.BadInputTransform, (int)EmbeddedModel.Load(blob, Budget, out model));
        }

        [TestMethod]
        public void Load_UnknownMetadataEntries_AreSkipped()
        {
            byte[] blob = WithRawInputEntry(WithMetadataEntry(TestModels.TinyCnnBlob(), 99, new byte[5]), QuarterTransform());

            EmbeddedModel model = Load(blob);

            Assert.IsTrue(model.HasRawInputTransform);
        }

        [TestMethod]
        public void Calls_BadIndexOrBuffer_GiveTheirCodes()
        {
            EmbeddedModel model = Load(WithRawInputEntry(TestModels.TinyCnnBlob(), QuarterTransform()));
            int value;

            Assert.AreEqual((int)EmbeddedModelError.BadIndex, (int)model.SetInput(1, new sbyte[InputLength], 0));
            Assert.AreEqual((int)EmbeddedModelError.BadIndex, (int)model.SetRawInput(-1, new int[InputLength], 0));
            Assert.AreEqual((int)EmbeddedModelError.BadIndex, (int)model.GetInputLength(1, out value));
            Assert.AreEqual((int)EmbeddedModelError.BadIndex, (int)model.GetOutputLength(-1, out value));
            Assert.AreEqual((int)EmbeddedModelError.BadIndex, (int)model.GetTopClass(1, out value));
            Assert.AreEqual((int)EmbeddedModelError.BadBuffer, (int)model.SetInput(0, null, 0));
            Assert.AreEqual((int)EmbeddedModelError.BadBuffer, (int)model.SetInput(0, new sbyte[InputLength], 1));
            Assert.AreEqual((int)EmbeddedModelError.BadBuffer, (int)model.SetRawInput(0, new int[InputLength - 1], 0));
            Assert.AreEqual((int)EmbeddedModelError.BadBuffer, (int)model.SetRawInput(0, new int[InputLength], -1));
            Assert.AreEqual((int)EmbeddedModelError.BadBuffer, (int)model.GetOutput(0, new sbyte[OutputLength + 1], 2));
        }

        [TestMethod]
        public void Outputs_BeforeInvokeOrAfterANewInput_NoResult()
        {
            EmbeddedModel model = Load(TestModels.TinyCnnBlob());
            sbyte[] output = new sbyte[OutputLength];
            int top;

            EmbeddedModelError beforeInvoke = model.GetOutput(0, output, 0);
            model.Invoke();
            EmbeddedModelError afterInvoke = model.GetTopClass(0, out top);
            model.SetInput(0, TestModels.TinyCnnInput(), 0);
            EmbeddedModelError afterNewInput = model.GetTopClass(0, out top);

            Assert.AreEqual((int)EmbeddedModelError.NoResult, (int)beforeInvoke);
            Assert.AreEqual((int)EmbeddedModelError.None, (int)afterInvoke);
            Assert.AreEqual((int)EmbeddedModelError.NoResult, (int)afterNewInput);
            Assert.AreEqual(-1, top);
        }

        private static EmbeddedModel Load(byte[] blob)
        {
            EmbeddedModel model;
            EmbeddedModelError error = EmbeddedModel.Load(blob, Budget, out model);
            Assert.AreEqual((int)EmbeddedModelError.None, (int)error);
            return model;
        }

        private static int[] QuarterTransform()
        {
            int[] words = new int[RawInputTransform.Words];
            words[RawInputTransform.Arithmetic] = Requantization.Q31;
            words[RawInputTransform.Multiplier] = 1 << 30;
            words[RawInputTransform.Shift] = -1;
            words[RawInputTransform.RawOffset] = RawOffset;
            words[RawInputTransform.RawMin] = RawOffset - 504;
            words[RawInputTransform.RawMax] = RawOffset + 524;
            return words;
        }

        // round(d / 4), ties to even.
        private static int RoundHalfToEvenQuarter(int d)
        {
            int floor = d >> 2;
            int remainder = d & 3;
            return remainder > 2 || (remainder == 2 && (floor & 1) != 0) ? floor + 1 : floor;
        }

        private static int Clamp(int value)
        {
            return value < -128 ? -128 : value > 127 ? 127 : value;
        }

        private static byte[] WithRawInputEntry(byte[] blob, int[] words)
        {
            byte[] value = new byte[4 * words.Length];
            for (int i = 0; i < words.Length; i++)
            {
                TestModels.WriteInt32(value, 4 * i, words[i]);
            }

            return WithMetadataEntry(blob, RawInputTransform.MetadataKey, value);
        }

        // The blob with one more host-metadata entry (u16 key, u32 length, the bytes) at its end, its
        // header's metadataBytes and totalLength and both CRCs updated.
        private static byte[] WithMetadataEntry(byte[] blob, int key, byte[] value)
        {
            byte[] longer = new byte[blob.Length + 6 + value.Length];
            System.Array.Copy(blob, longer, blob.Length);
            longer[blob.Length] = (byte)key;
            longer[blob.Length + 1] = (byte)(key >> 8);
            TestModels.WriteInt32(longer, blob.Length + 2, value.Length);
            System.Array.Copy(value, 0, longer, blob.Length + 6, value.Length);
            TestModels.WriteInt32(longer, 8, longer.Length);
            TestModels.WriteInt32(longer, 52, TestModels.ReadInt32(blob, 52) + 6 + value.Length);
            TestModels.FixCrcs(longer);
            return longer;
        }
    }
}
