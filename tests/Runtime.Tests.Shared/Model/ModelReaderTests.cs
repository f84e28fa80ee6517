namespace NanoInt8.Runtime.Tests
{
    /// <summary>
    /// The reader against valid, corrupted and hostile blobs. Every bad blob must give an error
    /// code; no exception may escape, and a blob the reader accepts must run.
    /// </summary>
    [TestClass]
    public class ModelReaderTests
    {
        // Byte offsets in TestModels.TinyCnnBlob (docs/model-format.md): 15 tensors, 5 operators.
        private const int TensorTable = 64;
        private const int OperatorTable = TensorTable + 15 * 32;
        private const int GraphIoTable = OperatorTable + 5 * 12;
        private const int ParameterSection = GraphIoTable + 8;

        [TestMethod]
        public void TryRead_TinyCnn_IsValid()
        {
            Model model = Load(TestModels.TinyCnnBlob());

            Assert.AreEqual(15, model.TensorCount);
            Assert.AreEqual(5, model.OperatorCount);
            Assert.AreEqual(80, model.ArenaBytes);
            Assert.AreEqual(OpCode.Softmax, model.GetOperatorCode(4));
        }

        [TestMethod]
        public void Invoke_TinyCnn_GivesTheNet10Output()
        {
            Interpreter interpreter = new Interpreter(Load(TestModels.TinyCnnBlob()));
            sbyte[] output = new sbyte[4];

            interpreter.SetInput(0, TestModels.TinyCnnInput(), 0);
            interpreter.Invoke();
            interpreter.GetOutput(0, output, 0);

            KernelTestSupport.AssertEqual(TestModels.TinyCnnExpectedOutput(), output);
        }

        [TestMethod]
        public void TryRead_EveryByteFlipped_IsRefused()
        {
            byte[] original = TestModels.TinyCnnBlob();
            for (int i = 0; i < original.Length; i++)
            {
                byte[] blob = TestModels.TinyCnnBlob();
                blob[i] ^= 0xFF;

                Assert.IsFalse(ModelReader.TryRead(blob, int.MaxValue, out Model model) == ModelError.None);
                Assert.IsTrue(model == null);
            }
        }

        [TestMethod]
        public void TryRead_EveryByteFlippedWithCrcsFixed_RefusesOrRunsSafely()
        {
            // With the CRCs recomputed, every edit reaches the structural validation. Whatever the
            // reader accepts must then run without leaving its arrays.
            byte[] original = TestModels.TinyCnnBlob();
            sbyte[] input = TestModels.TinyCnnInput();
            sbyte[] output = new sbyte[4];
            int[] masks = new int[] { 0x01, 0x10, 0x80, 0xFF };
            int refused = 0;
            int accepted = 0;
            for (int i = 0; i < original.Length; i++)
            {
                if (i >= 12 && i < 16 || i >= 60 && i < 64)
                {
                    continue; // the CRC fields themselves
                }

                for (int m = 0; m < masks.Length; m++)
                {
                    byte[] blob = TestModels.TinyCnnBlob();
                    blob[i] ^= (byte)masks[m];
                    TestModels.FixCrcs(blob);

                    if (ModelReader.TryRead(blob, int.MaxValue, out Model model) != ModelError.None)
                    {
                        refused++;
                        continue;
                    }

                    accepted++;
                    Interpreter interpreter = new Interpreter(model);
                    interpreter.SetInput(0, input, 0);
                    interpreter.Invoke();
                    interpreter.GetOutput(0, output, 0);
                }
            }

            // Edits of weights, biases and metadata keep a valid model; edits of the structure do not.
            Assert.IsTrue(refused > 1000);
            Assert.IsTrue(accepted > 100);
        }

        [TestMethod]
        public void TryRead_TruncatedAtEveryLength_IsRefused()
        {
            byte[] original = TestModels.TinyCnnBlob();
            for (int length = 0; length < original.Length; length++)
            {
                byte[] blob = new byte[length];
                System.Array.Copy(original, blob, length);

                Assert.IsFalse(ModelReader.TryRead(blob, int.MaxValue, out Model model) == ModelError.None);
            }
        }

        [TestMethod]
        public void TryRead_Null_IsRefused()
        {
            Assert.AreEqual((int)ModelError.TooShort, (int)ModelReader.TryRead(null, int.MaxValue, out Model model));
        }

        [TestMethod]
        public void TryRead_HeaderSizesInflatedToMaximum_AreRefusedBeforeAllocating()
        {
            // arenaBytes, tensorCount, operatorCount, inputCount (version 4: and outputCount),
            // parameterWords, int32Words, int8Bytes, metadataBytes; version 1: outputCount at 36.
            int[] fields = new int[] { 16, 24, 28, 32, 40, 44, 48, 52, 36 };
            for (int f = 0; f < fields.Length; f++)
            {
                byte[] blob = f < fields.Length - 1 ? TestModels.TinyCnnBlob() : TestModels.TinyCnnVersion1Blob();
                TestModels.WriteInt32(blob, fields[f], int.MaxValue);
                TestModels.FixCrcs(blob);

                Assert.AreEqual((int)ModelError.CountOutOfRange, (int)ModelReader.TryRead(blob, int.MaxValue, out Model model));
            }
        }

        [TestMethod]
        public void TryRead_Version1Blob_ReadWithTheWorkItsVersion4HeaderDeclaresAndTheSameOutput()
        {
            // An older model has no work in its header: the reader computes it all the same.
            Model model = Load(TestModels.TinyCnnVersion1Blob());
            Interpreter interpreter = new Interpreter(model);
            sbyte[] output = new sbyte[4];

            interpreter.SetInput(0, TestModels.TinyCnnInput(), 0);
            interpreter.Invoke();
            interpreter.GetOutput(0, output, 0);

            Assert.AreEqual((long)TestModels.TinyCnnWork, model.Work);
            Assert.AreEqual((long)TestModels.TinyCnnWork, ModelReader.GetWork(TestModels.TinyCnnBlob(), 0));
            Assert.AreEqual(-1L, ModelReader.GetWork(TestModels.TinyCnnVersion1Blob(), 0));
            KernelTestSupport.AssertEqual(TestModels.TinyCnnExpectedOutput(), output);
        }

        [TestMethod]
        public void CheckHeader_WorkAboveBudget_TooMuchWorkFromTheHeaderAlone()
        {
            byte[] header = new byte[ModelFormat.HeaderSize];
            System.Array.Copy(TestModels.TinyCnnBlob(), header, header.Length);

            Assert.AreEqual((int)ModelError.TooMuchWork, (int)ModelReader.CheckHeader(header, 0, header.Length, int.MaxValue, TestModels.TinyCnnWork - 1));
            Assert.AreEqual((int)ModelError.None, (int)ModelReader.CheckHeader(header, 0, header.Length, int.MaxValue, TestModels.TinyCnnWork));
        }

        [TestMethod]
        public void TryRead_WorkAboveBudget_TooMuchWorkForEveryVersion()
        {
            Assert.AreEqual((int)ModelError.TooMuchWork, (int)ModelReader.TryRead(TestModels.TinyCnnBlob(), int.MaxValue, TestModels.TinyCnnWork - 1, out Model model));
            Assert.AreEqual((int)ModelError.TooMuchWork, (int)ModelReader.TryRead(TestModels.TinyCnnVersion1Blob(), int.MaxValue, TestModels.TinyCnnWork - 1, out model));
            Assert.AreEqual((int)ModelError.None, (int)ModelReader.TryRead(TestModels.TinyCnnVersion1Blob(), int.MaxValue, TestModels.TinyCnnWork, out model));
        }

        [TestMethod]
        public void TryRead_HeaderWorkNotTheOperators_IsWorkMismatch()
        {
            // Declaring less work than the operators do would slip past a device's budget.
            Assert.AreEqual((int)ModelError.WorkMismatch, (int)ReadEdited(36, TestModels.TinyCnnWork - 1));
            Assert.AreEqual((int)ModelError.WorkMismatch, (int)ReadEdited(36, int.MaxValue));
        }

        [TestMethod]
        public void TryRead_Int32ConstantsSharingElements_IsConstantOverlap()
        {
            // conv.multiplier (tensor 3, words 3 .. 5) moved onto the last word of conv.bias (0 .. 2).
            Assert.AreEqual((int)ModelError.ConstantOverlap, (int)ReadEdited(TensorField(3, 24), 2));
        }

        [TestMethod]
        public void TryRead_TotalLengthInflated_IsRefused()
        {
            byte[] blob = TestModels.TinyCnnBlob();
            TestModels.WriteInt32(blob, 8, int.MaxValue);
            TestModels.FixCrcs(blob);

            Assert.AreEqual((int)ModelError.LengthMismatch, (int)ModelReader.TryRead(blob, int.MaxValue, out Model model));
        }

        [TestMethod]
        public void TryRead_BudgetBelowDeviceBytes_IsTooLarge()
        {
            byte[] blob = TestModels.TinyCnnBlob();
            int deviceBytes = ModelReader.GetDeviceBytes(blob, 0);

            Assert.AreEqual((int)ModelError.TooLarge, (int)ModelReader.TryRead(blob, deviceBytes - 1, out Model model));
            Assert.AreEqual((int)ModelError.None, (int)ModelReader.TryRead(blob, deviceBytes, out model));
        }

        [TestMethod]
        public void CheckHeader_HeaderAlone_AnswersBeforeTheModelArrives()
        {
            byte[] header = new byte[ModelFormat.HeaderSize];
            System.Array.Copy(TestModels.TinyCnnBlob(), header, header.Length);

            Assert.AreEqual((int)ModelError.None, (int)ModelReader.CheckHeader(header, 0, header.Length, int.MaxValue));
            Assert.AreEqual((int)ModelError.TooLarge, (int)ModelReader.CheckHeader(header, 0, header.Length, 100));
        }

        [TestMethod]
        public void TryRead_BadMagicVersionOrFlags_AreRefused()
        {
            Assert.AreEqual((int)ModelError.BadMagic, (int)ReadEdited(0, 0x12345678));
            Assert.AreEqual((int)ModelError.UnsupportedVersion, (int)ReadEdited(4, ModelFormat.Version + 1));
            Assert.AreEqual((int)ModelError.UnsupportedVersion, (int)ReadEdited(4, 0));
            Assert.AreEqual((int)ModelError.BadFlags, (int)ReadEditedVersion1(4, 2 | 8 << 16));
            Assert.AreEqual((int)ModelError.BadFlags, (int)ReadEditedVersion1(4, 2 | 0x8000 << 16));
        }

        [TestMethod]
        public void TryRead_ScratchWordsNotCountedInDeviceBytes_IsRefused()
        {
            // Header word 56 (scratchWords) is part of the deviceBytes formula: 8 bytes per word.
            Assert.AreEqual((int)ModelError.DeviceBytesMismatch, (int)ReadEditedVersion2(56, 1));
        }

        [TestMethod]
        public void TryRead_ScratchWordsAboveTheLongestPackedRow_IsCountOutOfRange()
        {
            Assert.AreEqual((int)ModelError.CountOutOfRange, (int)ReadEditedVersion2(56, ModelFormat.MaxScratchWords + 1));
            Assert.AreEqual((int)ModelError.CountOutOfRange, (int)ReadEditedVersion2(56, -1));
        }

        [TestMethod]
        public void TryRead_ScratchWordsWithoutPackedOperators_IsBadParameter()
        {
            // Counted in deviceBytes but needed by no operator: the reader wants the exact need.
            byte[] blob = TestModels.TinyCnnVersion1Blob();
            blob[4] = 2;
            TestModels.WriteInt32(blob, 56, 1);
            TestModels.WriteInt32(blob, 20, ModelReader.GetDeviceBytes(blob, 0) + ModelFormat.DeviceBytesPerScratchWord);
            TestModels.FixCrcs(blob);

            Assert.AreEqual((int)ModelError.BadParameter, (int)ModelReader.TryRead(blob, int.MaxValue, out Model model));
        }

        [TestMethod]
        public void TryRead_Version1WithVersion2Fields_IsRefusedAndVersion2WithoutThemIsRead()
        {
            // TinyCnn uses nothing of version 2, so the host of before version 4 wrote it as version 1 ...
            Assert.AreEqual(1, (int)TestModels.TinyCnnVersion1Blob()[4]);
            // ... version 1 has no flags and no scratch words ...
            Assert.AreEqual((int)ModelError.BadFlags, (int)ReadEditedVersion1(4, 1 | Requantization.Q15 << 16));
            Assert.AreEqual((int)ModelError.BadFlags, (int)ReadEditedVersion1(56, 1));
            // ... and the same model labelled version 2 is read.
            Assert.AreEqual((int)ModelError.None, (int)ReadEditedVersion1(4, 2));
        }

        [TestMethod]
        public void TryRead_MultipliersOfAnotherRequantizationMode_AreRefused()
        {
            // TinyCnn holds Q31 pairs (multipliers of 2^30 and more): no other mode accepts them.
            Assert.AreEqual((int)ModelError.BadParameter, (int)ReadEditedVersion1(4, 2 | Requantization.Q15 << 16));
            Assert.AreEqual((int)ModelError.BadParameter, (int)ReadEditedVersion1(4, 2 | Requantization.PowerOfTwo << 16));
            Assert.AreEqual((int)ModelError.BadParameter, (int)ReadEditedVersion1(4, 2 | Requantization.Float32 << 16));
        }

        [TestMethod]
        public void TryRead_PerTensorFlagWithPerChannelPairs_IsRefused()
        {
            // TinyCnn's convolution has a different multiplier per output channel.
            Assert.AreEqual((int)ModelError.BadParameter, (int)ReadEditedVersion1(4, 2 | Requantization.PerTensorFlag << 16));
        }

        [TestMethod]
        public void TryRead_DeviceBytesNotTheFormula_IsRefused()
        {
            byte[] blob = TestModels.TinyCnnBlob();
            Assert.AreEqual((int)ModelError.DeviceBytesMismatch, (int)ReadEdited(20, ModelReader.GetDeviceBytes(blob, 0) - 1));
        }

        [TestMethod]
        public void TryRead_NegativeOrOutsideTensorOffsets_AreRefused()
        {
            Assert.AreEqual((int)ModelError.TensorOutOfBounds, (int)ReadEdited(TensorField(0, 24), -1));
            Assert.AreEqual((int)ModelError.TensorOutOfBounds, (int)ReadEdited(TensorField(0, 24), int.MinValue));
            Assert.AreEqual((int)ModelError.TensorOutOfBounds, (int)ReadEdited(TensorField(5, 24), 60)); // 60 + 48 > 80
            Assert.AreEqual((int)ModelError.TensorOutOfBounds, (int)ReadEdited(TensorField(1, 24), int.MaxValue)); // weights
        }

        [TestMethod]
        public void TryRead_InflatedDimsOrBadRecords_AreRefused()
        {
            Assert.AreEqual((int)ModelError.BadTensor, (int)ReadEdited(TensorField(0, 4), int.MaxValue));
            Assert.AreEqual((int)ModelError.BadTensor, (int)ReadEdited(TensorField(0, 4), 0));
            Assert.AreEqual((int)ModelError.BadTensor, (int)ReadEdited(TensorField(0, 4), -5));
            Assert.AreEqual((int)ModelError.BadTensor, (int)ReadEdited(TensorField(0, 20), 128)); // zero point
            Assert.AreEqual((int)ModelError.BadTensor, (int)ReadEdited(TensorField(0, 0), 0x00040203)); // type 3
            Assert.AreEqual((int)ModelError.BadTensor, (int)ReadEdited(TensorField(0, 0), 0x00000501)); // rank 5
            // Dims 4096 x 4096 x 2 x 4: each dim is fine, the product is above 2^24.
            byte[] blob = TestModels.TinyCnnBlob();
            TestModels.WriteInt32(blob, TensorField(0, 4), 4096);
            TestModels.WriteInt32(blob, TensorField(0, 8), 4096);
            TestModels.FixCrcs(blob);
            Assert.AreEqual((int)ModelError.BadTensor, (int)ModelReader.TryRead(blob, int.MaxValue, out Model model));
        }

        [TestMethod]
        public void TryRead_OverlappingLiveTensors_AreRefused()
        {
            // The convolution's output placed over its own input, which is live while it runs.
            Assert.AreEqual((int)ModelError.ArenaOverlap, (int)ReadEdited(TensorField(5, 24), 16));
            Assert.AreEqual((int)ModelError.ArenaOverlap, (int)ReadEdited(TensorField(5, 24), 0));
        }

        [TestMethod]
        public void TryRead_OperatorsOutOfOrder_AreRefused()
        {
            // MaxPool first: it would read the convolution's output before anything wrote it, a
            // cycle in the operator list.
            byte[] blob = TestModels.TinyCnnBlob();
            for (int i = 0; i < 12; i++)
            {
                byte first = blob[OperatorTable + i];
                blob[OperatorTable + i] = blob[OperatorTable + 12 + i];
                blob[OperatorTable + 12 + i] = first;
            }

            TestModels.FixCrcs(blob);

            Assert.AreEqual((int)ModelError.OrderViolation, (int)ModelReader.TryRead(blob, int.MaxValue, out Model model));
        }

        [TestMethod]
        public void TryRead_TensorWrittenTwice_IsRefused()
        {
            // The Reshape writes its own input, which MaxPool already wrote.
            int reshapeOutput = ParameterSection + 4 * (TestModels.ReadInt32(TestModels.TinyCnnBlob(), OperatorTable + 2 * 12 + 4) + 1);

            Assert.AreEqual((int)ModelError.OrderViolation, (int)ReadEdited(reshapeOutput, 6));
        }

        [TestMethod]
        public void TryRead_OperandIndicesOutOfRange_AreRefused()
        {
            Assert.AreEqual((int)ModelError.BadOperand, (int)ReadEdited(ParameterSection, 15));
            Assert.AreEqual((int)ModelError.BadOperand, (int)ReadEdited(ParameterSection, -1));
            Assert.AreEqual((int)ModelError.BadOperand, (int)ReadEdited(ParameterSection, int.MaxValue));
            // A constant where an arena output belongs.
            Assert.AreEqual((int)ModelError.BadOperand, (int)ReadEdited(ParameterSection + 4 * 5, 1));
        }

        [TestMethod]
        public void TryRead_BadOperatorRecords_AreRefused()
        {
            Assert.AreEqual((int)ModelError.BadOperator, (int)ReadEdited(OperatorTable, 0x00010599)); // opcode 0x99
            Assert.AreEqual((int)ModelError.BadOperator, (int)ReadEdited(OperatorTable, 0x00010401)); // 4 inputs
            Assert.AreEqual((int)ModelError.BadOperator, (int)ReadEdited(OperatorTable + 4, int.MaxValue)); // parameter offset
            Assert.AreEqual((int)ModelError.BadOperator, (int)ReadEdited(OperatorTable + 8, int.MaxValue)); // parameter count
        }

        [TestMethod]
        public void TryRead_ParametersOutOfRange_AreRefused()
        {
            int conv = ParameterSection + 4 * 6; // after 5 inputs and 1 output
            Assert.AreEqual((int)ModelError.BadParameter, (int)ReadEdited(conv, 0)); // stride 0
            Assert.AreEqual((int)ModelError.BadParameter, (int)ReadEdited(conv + 4 * 4, -1)); // negative padding
            Assert.AreEqual((int)ModelError.BadParameter, (int)ReadEdited(conv + 4 * 8, 0)); // groups 0
            Assert.AreEqual((int)ModelError.BadParameter, (int)ReadEdited(conv + 4 * 10, -129)); // clamp max below int8
            Assert.AreEqual((int)ModelError.ShapeMismatch, (int)ReadEdited(conv, 2)); // stride 2 changes the output shape
        }

        [TestMethod]
        public void TryRead_PerChannelShiftOutOfRange_IsRefused()
        {
            byte[] blob = TestModels.TinyCnnBlob();
            int int32Section = ParameterSection + 4 * TestModels.ReadInt32(blob, 40);
            int shiftIndex = TestModels.ReadInt32(blob, TensorField(4, 24)); // conv.shift
            int multiplierIndex = TestModels.ReadInt32(blob, TensorField(3, 24)); // conv.multiplier

            Assert.AreEqual((int)ModelError.BadParameter, (int)ReadEdited(int32Section + 4 * (shiftIndex + 2), 31));
            Assert.AreEqual((int)ModelError.BadParameter, (int)ReadEdited(int32Section + 4 * (multiplierIndex + 1), 12345));
        }

        [TestMethod]
        public void TryRead_GraphIoOutOfRangeOrConstant_IsRefused()
        {
            Assert.AreEqual((int)ModelError.BadGraphIo, (int)ReadEdited(GraphIoTable, 15));
            Assert.AreEqual((int)ModelError.BadGraphIo, (int)ReadEdited(GraphIoTable + 4, -1));
            Assert.AreEqual((int)ModelError.BadGraphIo, (int)ReadEdited(GraphIoTable, 1)); // a constant
        }

        private static int TensorField(int tensor, int fieldOffset)
        {
            return TensorTable + tensor * 32 + fieldOffset;
        }

        private static ModelError ReadEdited(int offset, int value)
        {
            byte[] blob = TestModels.TinyCnnBlob();
            TestModels.WriteInt32(blob, offset, value);
            TestModels.FixCrcs(blob);
            return ModelReader.TryRead(blob, int.MaxValue, out Model model);
        }

        // The same edit on the version-1 TinyCnn: its header has versions 1 to 3's layout, so it can be relabelled.
        private static ModelError ReadEditedVersion1(int offset, int value)
        {
            byte[] blob = TestModels.TinyCnnVersion1Blob();
            TestModels.WriteInt32(blob, offset, value);
            TestModels.FixCrcs(blob);
            return ModelReader.TryRead(blob, int.MaxValue, out Model model);
        }

        // The same edit on the version-1 TinyCnn labelled format version 2 (which has the scratch-words field).
        private static ModelError ReadEditedVersion2(int offset, int value)
        {
            byte[] blob = TestModels.TinyCnnVersion1Blob();
            blob[4] = 2;
            TestModels.WriteInt32(blob, offset, value);
            TestModels.FixCrcs(blob);
            return ModelReader.TryRead(blob, int.MaxValue, out Model model);
        }

        private static Model Load(byte[] blob)
        {
            Assert.AreEqual((int)ModelError.None, (int)ModelReader.TryRead(blob, int.MaxValue, out Model model));
            return model;
        }
    }
}
